package imaging

// EstimateMemory is the working set, in bytes, of rendering an image of info as spec asks: the
// decoded original, the decoder's own buffers, the scaled output and the encoder's. A memory budget
// (a weighted semaphore) acquires it before Render. It is an upper bound, checked against measured
// allocation in the tests.
func EstimateMemory(info Info, spec Spec) int64 {
	return info.Pixels()*16 + int64(MaxSide)*MaxSide*8
}
