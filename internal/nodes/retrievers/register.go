// Package retrievers holds Flowise's "Retrievers" category nodes.
package retrievers

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(similarityThresholdRetriever)
}
