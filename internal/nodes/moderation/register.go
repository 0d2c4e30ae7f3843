// Package moderation holds Flowise's "moderation" category nodes.
package moderation

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
}
