// Package chatmodels holds Flowise's "chatmodels" category nodes.
package chatmodels

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
}
