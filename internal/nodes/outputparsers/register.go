// Package outputparsers holds Flowise's "outputparsers" category nodes.
package outputparsers

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
}
