package idempotency_test

import (
	"testing"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

func TestOnlyAnsweredFinalResponsesAreStored(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{
		200: true, 201: true, 404: true, 409: true, 422: true,
		429: false, // try again later
		499: false, // the client went away: nobody got an answer, a retry must run the request
		500: false, 503: false,
	} {
		if got := idempotency.Storable(status); got != want {
			t.Errorf("Storable(%d) = %v, want %v", status, got, want)
		}
	}
}
