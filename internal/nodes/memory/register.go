// Package memory holds Flowise's "memory" category nodes.
package memory

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
}
