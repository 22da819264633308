package httpapi

import (
	"github.com/google/wire"

	"github.com/inkwell-cms/inkwell/interfaces/http/ops"
)

// ProviderSet builds the router and the handlers.
var ProviderSet = wire.NewSet(
	NewRouter,
	ops.NewHandler,
)
