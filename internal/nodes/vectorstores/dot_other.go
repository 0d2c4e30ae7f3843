//go:build !amd64

package vectorstores

// dot32 returns the dot product of a and b (len(b) ≥ len(a)).
func dot32(a, b []float32) float32 { return dotGo(a, b) }
