package imaging

// Analysis is what the upload answer carries besides the size.
type Analysis struct {
	// Placeholder is the encoded placeholder of kind PlaceholderKind.
	Placeholder     string
	PlaceholderKind string // "blurhash"
	// DominantColor is "#rrggbb".
	DominantColor string
}

// Analyze decodes data and returns its placeholder and dominant colour. Not implemented yet.
func Analyze(mime string, data []byte) (Analysis, error) {
	return Analysis{}, unsupported("analyze: not implemented yet")
}
