// Package moderation holds the nodes of Flowise's "Moderation" category.
// Each node's Init returns an [llm.Moderator]. A refusal is an error whose
// Error() is exactly the node's configured message, the text the chain
// answers with, and which wraps [llm.ErrModerated].
package moderation

import (
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(inputModerationSimple)
	r.MustRegister(inputModerationOpenAI)
}

// Inputs and classes both nodes share.
const (
	inErrorMessage = "moderationErrorMessage"
	category       = "Moderation"
)

// baseClasses is Flowise's [Moderation type, ...getBaseClasses(Moderation)]:
// the abstract Moderation class has no ancestors.
var baseClasses = []string{"Moderation"}

// refusal is the error a moderator returns for refused input.
type refusal struct {
	msg string
}

// Error returns the message shown to the user.
func (e *refusal) Error() string { return e.msg }

// Unwrap returns [llm.ErrModerated].
func (e *refusal) Unwrap() error { return llm.ErrModerated }
