package llm

import (
	"context"
	"errors"
)

// OutputParser is an output parser node: it tells the model what format to
// answer in and turns the answer into a value.
//
// FormatInstructions is appended to the prompt (empty means none). Parse
// turns the model's text into the value the chain returns as json (a
// []string for CSV, a map for structured output). A parse failure returns
// an error; when AutoFix reports true the chain asks the model once more,
// with the error, to repair its answer.
type OutputParser interface {
	FormatInstructions() string
	Parse(text string) (any, error)
	AutoFix() bool
}

// Moderator is an input moderation node. Check returns an error wrapping
// [ErrModerated], whose message is shown to the user as the answer, when
// input must not reach the model.
type Moderator interface {
	Check(ctx context.Context, input string) error
}

// ErrModerated marks input refused by a [Moderator].
var ErrModerated = errors.New("input refused by moderation")
