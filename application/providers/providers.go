// Package providers is the wire provider set of the application layer: one constructor per service.
package providers

import (
	"github.com/google/wire"

	"github.com/inkwell-cms/inkwell/application/idempotency"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
)

// Set builds every application service and worker.
var Set = wire.NewSet(
	identityapp.NewService,
	idempotency.NewService,
	idempotency.NewPurger,
	wire.Value(idempotency.Config{}),
	webhookapp.NewService,
	webhookapp.NewRelay,
)
