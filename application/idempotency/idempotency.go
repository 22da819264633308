// Package idempotency makes retried POSTs safe: the first response to a request carrying an
// Idempotency-Key is stored and replayed for the same key and request, so a client that lost the
// answer can send the request again without creating a duplicate. The database decides between
// concurrent requests on any number of nodes; the HTTP middleware is the only caller.
package idempotency

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// MaxKeyLength is the longest Idempotency-Key accepted, in bytes.
const MaxKeyLength = 255

// Errors of this context; their codes are public API.
var (
	ErrInvalidKey = shared.Malformed("invalid_idempotency_key",
		"the Idempotency-Key header must be 1 to 255 printable ASCII characters")
	ErrKeyReused = shared.New(shared.KindInvalid, "idempotency_key_reused",
		"this Idempotency-Key was already used for a different request (method, path, body or API token); use a new key for a new request")
	ErrInFlight = shared.Conflict("idempotency_request_in_flight",
		"a request with this Idempotency-Key is still being processed; retry when it has finished")
)

// ValidateKey accepts 1 to MaxKeyLength printable ASCII characters (space to tilde).
func ValidateKey(key string) error {
	if key == "" || len(key) > MaxKeyLength {
		return ErrInvalidKey
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return ErrInvalidKey
		}
	}
	return nil
}

// Fingerprint identifies a request: a key may only be replayed for the request it was first used for,
// sent with the same credential. Keys are scoped to the user, so without the credential a read-only
// token of the user would replay (and "succeed" at) what a read-write token wrote.
type Fingerprint struct {
	Method     string
	Path       string // the request target: path and query string
	BodySHA256 string // lowercase hex
	Credential string // the API token and its rights (see ForCredential); empty without a token
}

// NewFingerprint hashes body and returns the request's fingerprint.
func NewFingerprint(method, path string, body []byte) Fingerprint {
	sum := sha256.Sum256(body)
	return Fingerprint{Method: method, Path: path, BodySHA256: hex.EncodeToString(sum[:])}
}

// ForCredential returns f bound to the API token tokenID and its read-only flag: the same key and
// request sent with another token (or the same token after its rights changed) is another request.
func (f Fingerprint) ForCredential(tokenID string, readOnly bool) Fingerprint {
	rights := "rw"
	if readOnly {
		rights = "ro"
	}
	f.Credential = "token:" + tokenID + ":" + rights
	return f
}

// Response is what is stored and replayed: the status, the headers that matter (by canonical name)
// and the body.
type Response struct {
	Status int
	Header map[string]string
	Body   []byte
}

// Storable reports whether a response with status is kept for replay. A server error (5xx) or a
// rate-limit answer (429) says "try again", and a request its client abandoned (499) answered
// nobody, so the key is freed for the retry instead. A 401 or 403 is about the credential, not the
// request: it is never stored, so it neither replays to another credential nor spoils the key for a
// retry with the right one.
func Storable(status int) bool {
	switch status {
	case 401, 403, 429, statusClientClosedRequest:
		return false
	}
	return status > 0 && status < 500
}

// statusClientClosedRequest is the status the HTTP layer records for a request whose client went
// away before the answer (nginx's 499).
const statusClientClosedRequest = 499

// State is where a record stands.
type State string

const (
	StateInFlight  State = "in_flight" // a request holds the key and is running
	StateCompleted State = "completed" // the response is stored
)

// Record is one key of one user as the store keeps it.
type Record struct {
	UserID      string
	Key         string
	Fingerprint Fingerprint
	State       State
	// Token identifies the request holding (or that last held) the key: only it may complete or
	// release the record, so a request whose lease was taken over cannot overwrite its successor.
	Token     string
	LockedAt  time.Time // when the holder began; its lease runs from here
	ExpiresAt time.Time // after this the record is ignored and purged
	Response  Response  // when StateCompleted
}

// Claim is a request's hold on a key, returned by Begin; pass it to Complete or Release.
type Claim struct {
	UserID string
	Key    string
	Token  string
}

// Outcome tells the caller what to do with a request.
type Outcome struct {
	// Claim is set when the request should run: the caller holds the key until Complete or Release.
	Claim Claim
	// Replay is set when a response is stored for this key and request: send it instead of running.
	Replay *Response
}

// Replayed reports whether the outcome is a stored response.
func (o Outcome) Replayed() bool { return o.Replay != nil }
