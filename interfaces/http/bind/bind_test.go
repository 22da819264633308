package bind_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

type patch struct {
	Name     bind.Optional[string] `json:"name"`
	Disabled bind.Optional[bool]   `json:"disabled"`
	Count    int                   `json:"count"`
}

func contextWith(body string, limit int64, target string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if limit > 0 {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	return c
}

func codeOf(err error) string {
	var de *shared.Error
	if errors.As(err, &de) && de.Kind == shared.KindMalformed {
		return de.Code
	}
	return ""
}

func TestJSONRefusesWhatItDoesNotUnderstand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, code string
		message          string
	}{
		{"empty", "", bind.CodeEmptyBody, "empty"},
		{"whitespace only", "  \n", bind.CodeEmptyBody, "empty"},
		{"syntax", `{"name": }`, bind.CodeInvalidJSON, "byte"},
		{"truncated", `{"name": "a"`, bind.CodeInvalidJSON, "too early"},
		{"unknown field", `{"title": "a"}`, bind.CodeUnknownField, `"title"`},
		{"wrong type", `{"count": "3"}`, bind.CodeInvalidJSON, `"count" must be a JSON number`},
		{"wrong type in optional", `{"disabled": "yes"}`, bind.CodeInvalidJSON, "boolean"},
		{"array body", `[1]`, bind.CodeInvalidJSON, "must be a JSON object"},
		{"trailing value", `{"count": 1} {"count": 2}`, bind.CodeInvalidJSON, "more data"},
		{"trailing garbage", `{"count": 1}x`, bind.CodeInvalidJSON, "more data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p patch
			err := bind.JSON(contextWith(tt.body, 0, "/"), &p)
			if codeOf(err) != tt.code || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("got %v, want code %s mentioning %q", err, tt.code, tt.message)
			}
		})
	}
}

func TestJSONTellsAbsentNullAndValueApart(t *testing.T) {
	t.Parallel()
	var p patch
	if err := bind.JSON(contextWith(`{"name": null, "count": 2}`+"\n", 0, "/"), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Name.Set || !p.Name.Null || p.Disabled.Set || p.Count != 2 {
		t.Fatalf("got %+v", p)
	}
	var q patch
	if err := bind.JSON(contextWith(`{"disabled": false}`, 0, "/"), &q); err != nil {
		t.Fatal(err)
	}
	if !q.Disabled.Set || q.Disabled.Null || q.Disabled.Value || q.Name.Set {
		t.Fatalf("got %+v", q)
	}
}

func TestJSONKeepsTheBodyLimitError(t *testing.T) {
	t.Parallel()
	var p patch
	err := bind.JSON(contextWith(`{"name": "`+strings.Repeat("a", 100)+`"}`, 20, "/"), &p)
	var maxBytes *http.MaxBytesError
	if !errors.As(err, &maxBytes) {
		t.Fatalf("want *http.MaxBytesError, got %v", err)
	}
}

func TestQueryParams(t *testing.T) {
	t.Parallel()
	if err := bind.QueryParams(contextWith("", 0, "/?limit=2&cursor=x"), "limit", "cursor"); err != nil {
		t.Fatal(err)
	}
	if err := bind.QueryParams(contextWith("", 0, "/?limt=2"), "limit", "cursor"); codeOf(err) != bind.CodeUnknownParameter {
		t.Fatalf("misspelt parameter: %v", err)
	}
	if err := bind.QueryParams(contextWith("", 0, "/?limit=2")); codeOf(err) != bind.CodeUnknownParameter || !strings.Contains(err.Error(), "takes no query parameters") {
		t.Fatalf("a parameter where none is accepted: %v", err)
	}
	if err := bind.QueryParams(contextWith("", 0, "/?limit=2&limit=3"), "limit"); codeOf(err) != bind.CodeInvalidParameter {
		t.Fatalf("a parameter given twice: %v", err)
	}
}
