//go:build race

package vectorstores

// raceEnabled reports a -race build (memory figures mean little there).
const raceEnabled = true
