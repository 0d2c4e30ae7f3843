// Package all registers every node category that Floe ships. It is the
// single list to edit when a category is added.
package all

import (
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/nodes/utilities"
)

// Register adds the nodes of every shipped category to r.
func Register(r *node.Registry) {
	utilities.Register(r)
}
