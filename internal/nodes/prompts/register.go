// Package prompts holds Flowise's "prompts" category nodes.
package prompts

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
}
