// Package prompts holds the nodes of Flowise's "Prompts" category. Each
// node's Init returns an [llm.Prompt] value (not a pointer): a chain that
// needs to change the prompt, for example to append format instructions,
// edits its own copy.
package prompts

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(promptTemplate)
	r.MustRegister(chatPromptTemplate)
}
