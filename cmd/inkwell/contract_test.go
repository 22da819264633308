package main

import (
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// Every management POST runs behind the idempotency middleware, so the contract must say so: the
// header, the replay marker and the 409/422 answers it can give.
func TestEveryAdminPostDeclaresIdempotency(t *testing.T) {
	t.Parallel()
	doc, _ := apitest.Spec(t)
	for path, item := range doc.Paths.Map() {
		op := item.Post
		if op == nil || !strings.HasPrefix(path, "/api/v1/admin/") {
			continue
		}
		found := false
		for _, p := range op.Parameters {
			if p.Ref == "#/components/parameters/IdempotencyKey" {
				found = true
			}
		}
		if !found {
			t.Errorf("POST %s does not declare the IdempotencyKey parameter", path)
		}
		for _, status := range []string{"400", "409", "422", "429"} {
			if op.Responses.Value(status) == nil {
				t.Errorf("POST %s does not declare its %s answer", path, status)
			}
		}
		for status, res := range op.Responses.Map() {
			if strings.HasPrefix(status, "2") && res.Value.Headers["Idempotent-Replayed"] == nil {
				t.Errorf("POST %s %s does not declare the Idempotent-Replayed header", path, status)
			}
		}
	}
}

// Every operation can be rate limited: public ones per IP, management ones per user.
func TestEveryAPIOperationDeclares429(t *testing.T) {
	t.Parallel()
	doc, _ := apitest.Spec(t)
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for method, op := range item.Operations() {
			if op.Responses.Value("429") == nil {
				t.Errorf("%s %s does not declare 429", method, path)
			}
		}
	}
}
