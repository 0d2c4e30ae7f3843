// Package chains holds Flowise's "Chains" category nodes: the ending
// nodes that answer a question with a model.
package chains

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(conversationChain)
	r.MustRegister(llmChain)
	r.MustRegister(conversationalRetrievalQAChain)
	r.MustRegister(retrievalQAChain)
}
