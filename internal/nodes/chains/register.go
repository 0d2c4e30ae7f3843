// Package chains holds Flowise's "chains" category nodes.
package chains

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
}
