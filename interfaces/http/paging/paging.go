// Package paging is the HTTP side of the list kit (application/listing): it reads a list's query
// parameters once, at the edge, into a listing.Request, and writes every list in the one envelope
// {"data": [...], "meta": {...}}. Every list handler, public and management, uses it.
package paging

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// params are the query parameters of the list kit itself; a list adds its own filters.
var params = []string{"limit", "cursor"}

// Parse reads the query of a list that pages by cursor in one order and takes no other parameter
// than those in extra (which its handler reads itself).
func Parse(c *gin.Context, order string, extra ...string) (listing.Request, error) {
	values := c.Request.URL.Query()
	if err := bind.AllowParams(values, append(append([]string{}, params...), extra...), nil); err != nil {
		return listing.Request{}, err
	}
	return Read(values, order)
}

// Read reads limit and cursor; the cursor must have been handed out for order.
func Read(values url.Values, order string) (listing.Request, error) {
	limit, err := limitOf(values)
	if err != nil {
		return listing.Request{}, err
	}
	r := listing.Request{Limit: limit}
	if raw := values.Get("cursor"); raw != "" {
		if r.After, err = listing.DecodeCursor(raw, order); err != nil {
			return listing.Request{}, err
		}
	}
	return r, nil
}

// limitOf reads the limit: absent is the default; anything but a whole number from 1 to the maximum
// is the one limit error of every list.
func limitOf(values url.Values) (int, error) {
	raw, ok := values["limit"]
	if !ok {
		return listing.DefaultLimit, nil
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil || n < 1 || n > listing.MaxLimit {
		return 0, listing.ErrLimitOutOfRange
	}
	return n, nil
}

// Int reads an optional whole number in [lowest, highest]; absent is 0.
func Int(values url.Values, name string, lowest, highest int) (int, error) {
	vs, ok := values[name]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < lowest || n > highest {
		return 0, listing.InvalidParameter(name, fmt.Sprintf("must be a whole number from %d to %d", lowest, highest))
	}
	return n, nil
}

// Envelope is the body of every list answer.
type Envelope[D any] struct {
	Data []D  `json:"data"`
	Meta Meta `json:"meta"`
}

// Meta describes the page: next_cursor is null on the last page; page, total and pages appear in
// page mode only.
type Meta struct {
	Limit      int     `json:"limit"`
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
	Page       *int    `json:"page,omitempty"`
	Total      *int    `json:"total,omitempty"`
	Pages      *int    `json:"pages,omitempty"`
}

// Of renders a page with dto applied to each item.
func Of[V, D any](p listing.Page[V], dto func(V) D) Envelope[D] {
	out := Envelope[D]{Data: make([]D, len(p.Items)), Meta: MetaOf(p)}
	for i, it := range p.Items {
		out.Data[i] = dto(it)
	}
	return out
}

// MetaOf is the meta of a page.
func MetaOf[V any](p listing.Page[V]) Meta {
	m := Meta{Limit: p.Limit, HasMore: p.HasMore, NextCursor: listing.EncodeOrNil(p.NextCursor)}
	if p.PageNumber > 0 {
		page, total, pages := p.PageNumber, p.Total, p.Pages
		m.Page, m.Total, m.Pages = &page, &total, &pages
	}
	return m
}
