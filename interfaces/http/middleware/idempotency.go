package middleware

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Headers of the idempotency protocol.
const (
	IdempotencyKeyHeader     = "Idempotency-Key"
	IdempotentReplayedHeader = "Idempotent-Replayed"
)

// replayedHeaders are the response headers stored and replayed with the status and body; the rest
// (request id, security headers, CORS) belong to each exchange and are set afresh.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

// withheldMarker is kept in place of the body of an answer that carried a secret (an API token, a
// webhook signing secret: answers marked with httpcache.MarkSecret). Secrets are shown once and
// stored nowhere, not even here; a retry learns the first request succeeded and where its result is.
const withheldMarker = "Inkwell-Idempotent-Body-Withheld"

// errAnswerWithheld answers a retry of a request whose first answer carried a secret.
var errAnswerWithheld = shared.Conflict("idempotent_answer_withheld",
	"the first request with this Idempotency-Key succeeded, but its answer held a secret, which is never stored; "+
		"find the result at the Location given, or send a new request with a new key")

// finishTimeout bounds storing or releasing after the handler: the client may be gone by then, but
// the record must still be finished.
const finishTimeout = 5 * time.Second

// errUnreadableBody is a body that broke off before its end (not one over the limit, which is 413).
var errUnreadableBody = shared.Malformed("unreadable_body", "the request body could not be read to its end")

// IdempotencyService decides, stores and replays; *idempotency.Service implements it.
type IdempotencyService interface {
	Begin(ctx context.Context, userID, key string, fp idempotency.Fingerprint) (idempotency.Outcome, error)
	Complete(ctx context.Context, c idempotency.Claim, resp idempotency.Response) error
	Release(ctx context.Context, c idempotency.Claim) error
}

// Idempotency makes a POST carrying an Idempotency-Key safe to retry: the first response is stored
// and replayed (with Idempotent-Replayed: true) for the same key and request; the same key with
// another request is a 422, and one arriving while the first still runs a 409. Keys are scoped to
// the principal's user and the request's fingerprint holds the API token and its read-only flag, so
// one token never replays another's answer. A request without the header, or with another method,
// passes untouched. It must run after authentication and after BodyLimit (it reads the whole body
// to hash it).
func Idempotency(svc IdempotencyService) gin.HandlerFunc {
	return func(c *gin.Context) {
		values, sent := c.Request.Header[IdempotencyKeyHeader]
		if c.Request.Method != http.MethodPost || !sent {
			c.Next()
			return
		}
		if len(values) != 1 {
			problem.Respond(c, idempotency.ErrInvalidKey.WithMessage("send exactly one Idempotency-Key header"))
			return
		}
		if err := idempotency.ValidateKey(values[0]); err != nil {
			problem.Respond(c, err)
			return
		}
		p, ok := authz.PrincipalFrom(c.Request.Context())
		if !ok || p.UserID == "" {
			problem.Respond(c, shared.ErrUnauthorized)
			return
		}
		body, err := readBody(c.Request)
		if err != nil {
			problem.Respond(c, err)
			return
		}
		fp := idempotency.NewFingerprint(c.Request.Method, c.Request.URL.RequestURI(), body).
			ForCredential(p.TokenID, p.ReadOnly)
		out, err := svc.Begin(c.Request.Context(), p.UserID, values[0], fp)
		if err != nil {
			problem.Respond(c, err)
			return
		}
		if out.Replayed() {
			replay(c, *out.Replay)
			return
		}
		runAndStore(c, svc, out.Claim)
	}
}

// readBody reads the whole (already size-limited) body and puts an unread copy back for the handler.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, errUnreadableBody.WithCause(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// runAndStore runs the rest of the chain with the response captured, then stores it (or frees the
// key when it is not storable). The response has already gone to the client, so a failure to store
// is logged here, the boundary that handles it.
func runAndStore(c *gin.Context, svc IdempotencyService, claim idempotency.Claim) {
	original := c.Writer
	capture := &capturingWriter{ResponseWriter: original}
	c.Writer = capture
	finished := false
	defer func() {
		if finished {
			return
		}
		// The handler panicked (Recovery, further out, answers it): free the key for a retry.
		ctx, cancel := finishContext(c)
		defer cancel()
		if err := svc.Release(ctx, claim); err != nil {
			problem.Logger(c).Error("release the idempotency key of a failed request", zap.Error(err))
		}
	}()
	c.Next()
	finished = true
	c.Writer = original
	ctx, cancel := finishContext(c)
	defer cancel()
	if err := svc.Complete(ctx, claim, capture.response(httpcache.HoldsSecret(c))); err != nil {
		problem.Logger(c).Error("store the response of an idempotent request", zap.Error(err))
	}
}

func finishContext(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.Request.Context()), finishTimeout)
}

// replay answers with a stored response and stops the chain.
func replay(c *gin.Context, r idempotency.Response) {
	if r.Header[withheldMarker] != "" {
		if loc := r.Header["Location"]; loc != "" {
			c.Header("Location", loc)
		}
		c.Header(IdempotentReplayedHeader, "true")
		problem.Respond(c, errAnswerWithheld.WithDetail("first_status", r.Status))
		return
	}
	for name, value := range r.Header {
		c.Header(name, value)
	}
	c.Header(IdempotentReplayedHeader, "true")
	c.Status(r.Status)
	c.Writer.WriteHeaderNow()
	if len(r.Body) > 0 {
		_, _ = c.Writer.Write(r.Body) // a client gone by now is nothing to report
	}
	c.Abort()
}

// capturingWriter passes the response through and keeps a copy of the body: the whole body the
// handler wrote, even when the client stopped reading, because that is what a retry must get.
type capturingWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *capturingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *capturingWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}

func (w *capturingWriter) response(holdsSecret bool) idempotency.Response {
	header := make(map[string]string, len(replayedHeaders))
	for _, name := range replayedHeaders {
		if v := w.Header().Get(name); v != "" {
			header[http.CanonicalHeaderKey(name)] = v
		}
	}
	if holdsSecret {
		header[withheldMarker] = "true"
		return idempotency.Response{Status: w.Status(), Header: header}
	}
	return idempotency.Response{Status: w.Status(), Header: header, Body: w.body.Bytes()}
}
