package imaging

// Strip removes EXIF, GPS and XMP metadata from data and keeps every other byte. Not implemented yet.
func Strip(mime string, data []byte) ([]byte, error) {
	return nil, unsupported("strip: not implemented yet")
}
