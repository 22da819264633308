// Package providers is the wire provider set of the application layer: one constructor per service.
package providers

import (
	"github.com/google/wire"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
)

// Set builds every application service and worker.
var Set = wire.NewSet(
	identityapp.NewService,
	webhookapp.NewService,
	webhookapp.NewRelay,
)
