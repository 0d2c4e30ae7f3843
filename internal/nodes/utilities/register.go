// Package utilities holds the nodes of Flowise's "Utilities" category.
package utilities

import "github.com/floehq/floe/internal/node"

// Register adds every Utilities node to r.
func Register(r *node.Registry) {
	r.MustRegister(stickyNote)
}
