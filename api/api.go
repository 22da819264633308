// Package api embeds the HTTP contract, the single source of truth for Inkwell's API.
package api

import _ "embed"

// OpenAPI is api/openapi.yaml, served at /openapi.yaml and used by the tests to validate responses.
//
//go:embed openapi.yaml
var OpenAPI []byte
