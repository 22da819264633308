// Package problem writes every failed request as an RFC 9457 problem+json body. It is THE place a
// failed request is logged: 5xx at error with the whole wrapped chain, 4xx at info with the code.
package problem

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/reqctx"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// ContentType is the media type of every error response.
const ContentType = "application/problem+json"

// TypePrefix starts the type URI of every problem; the stable code completes it.
const TypePrefix = "urn:inkwell:problem:"

// RetryAfter is the Retry-After of every 503, in seconds: a PostgreSQL restart or failover takes a
// few seconds (2.4 s measured for pg_ctlcluster restart), so a client or load balancer that waits
// this long usually finds the node serving again, without a thundering herd of instant retries.
const RetryAfter = 3

// CodeOf returns the problem code a failed request was answered with, or "" (for the metrics).
func CodeOf(c *gin.Context) string { return c.GetString(codeKeyName) }

const codeKeyName = "inkwell.problem_code"

// Body is the problem document. Extension members (e.g. current_version) are merged at the top level.
type Body struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Code      string         `json:"code"`
	RequestID string         `json:"request_id"`
	Errors    []FieldError   `json:"errors,omitempty"`
	Extra     map[string]any `json:"-"`
}

// FieldError is one invalid field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// SetLogger stores the request's logger for Respond; the access-log middleware calls it.
func SetLogger(c *gin.Context, log *zap.Logger) { c.Set(loggerKeyName, log) }

const loggerKeyName = "inkwell.logger"

// Logger returns the request's logger (with its request id), or a no-op logger.
func Logger(c *gin.Context) *zap.Logger {
	if l, ok := c.Get(loggerKeyName); ok {
		if log, ok := l.(*zap.Logger); ok {
			return log
		}
	}
	return zap.NewNop()
}

// StatusClientClosedRequest is nginx's 499: the client went away before the answer. It is not a
// server failure, so it is logged at info and never counted as a 5xx.
const StatusClientClosedRequest = 499

// ClientGone tells whether the client abandoned the request (closed the connection, cancelled).
func ClientGone(c *gin.Context) bool {
	return errors.Is(c.Request.Context().Err(), context.Canceled)
}

// Respond logs err once and answers it as a problem; the handler returns right after. When the
// client has gone away whatever failed most likely failed because of it (a cancelled query): the
// request is recorded as 499, with nothing written to a connection nobody reads.
func Respond(c *gin.Context, err error) {
	if ClientGone(c) {
		Logger(c).Info("client closed request", zap.Int("status", StatusClientClosedRequest), zap.Error(err))
		c.Abort()
		c.Status(StatusClientClosedRequest)
		return
	}
	status, body := FromError(err)
	body.RequestID = reqctx.RequestID(c.Request.Context())
	log := Logger(c)
	if status >= http.StatusInternalServerError {
		log.Error("request failed", zap.Int("status", status), zap.Error(err))
	} else {
		log.Info("request rejected", zap.Int("status", status), zap.String("code", body.Code), zap.String("detail", body.Detail))
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="inkwell"`)
	}
	write(c, status, body)
}

// FromError maps an error to its status and problem body. Only *shared.Error messages reach the
// client; anything else is an internal error with a generic text.
func FromError(err error) (int, Body) {
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return build(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than the limit", nil, nil)
	}
	var de *shared.Error
	if !errors.As(err, &de) {
		return build(http.StatusInternalServerError, "internal_error",
			"an internal error occurred; quote the request id when reporting it", nil, nil)
	}
	var fields []FieldError
	for _, f := range de.Fields {
		fields = append(fields, FieldError{Field: f.Field, Message: f.Message})
	}
	return build(StatusOf(de.Kind), de.Code, de.Message, fields, de.Details)
}

// StatusOf maps an error kind to its HTTP status.
func StatusOf(k shared.Kind) int {
	switch k {
	case shared.KindMalformed:
		return http.StatusBadRequest
	case shared.KindInvalid:
		return http.StatusUnprocessableEntity
	case shared.KindNotFound:
		return http.StatusNotFound
	case shared.KindConflict:
		return http.StatusConflict
	case shared.KindUnauthenticated:
		return http.StatusUnauthorized
	case shared.KindDenied:
		return http.StatusForbidden
	case shared.KindStaleVersion:
		return http.StatusPreconditionFailed
	case shared.KindVersionRequired:
		return http.StatusPreconditionRequired
	case shared.KindRateLimited:
		return http.StatusTooManyRequests
	case shared.KindUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Write answers a problem built from parts, for the HTTP layer's own failures (404 route, 405).
func Write(c *gin.Context, status int, code, detail string) {
	_, body := build(status, code, detail, nil, nil)
	body.RequestID = reqctx.RequestID(c.Request.Context())
	write(c, status, body)
}

func build(status int, code, detail string, fields []FieldError, extra map[string]any) (int, Body) {
	return status, Body{
		Type:   TypePrefix + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
		Errors: fields,
		Extra:  extra,
	}
}

func write(c *gin.Context, status int, b Body) {
	doc := map[string]any{
		"type": b.Type, "title": b.Title, "status": b.Status, "detail": b.Detail,
		"code": b.Code, "request_id": b.RequestID,
	}
	if len(b.Errors) > 0 {
		doc["errors"] = b.Errors
	}
	for k, v := range b.Extra {
		if _, taken := doc[k]; !taken {
			doc[k] = v
		}
	}
	c.Abort()
	c.Set(codeKeyName, b.Code)
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", strconv.Itoa(RetryAfter))
	}
	// gin's JSON sets its own content type only when none is set, so ours stands.
	c.Header("Content-Type", ContentType)
	c.Header("Cache-Control", "no-store")
	c.JSON(status, doc)
}
