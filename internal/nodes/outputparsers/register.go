// Package outputparsers holds the nodes of Flowise's "Output Parsers"
// category. Each node's Init returns an [llm.OutputParser].
//
// FormatInstructions returns literal text, braces included: a chain must
// pass it as a value (Flowise's format_instructions partial variable), not
// splice it into an f-string template. Parse accepts the answer as models
// give it: inside a ```json fence or not, with prose around it, and with
// small syntax slips repaired (trailing commas, single-quoted strings,
// unquoted keys, comments, Python literals, raw newlines in strings,
// missing closing brackets).
package outputparsers

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(csvOutputParser)
	r.MustRegister(structuredOutputParser)
	r.MustRegister(advancedStructuredOutputParser)
}

// Inputs and classes shared by the parsers.
const (
	inAutofix = "autofixParser"
	category  = "Output Parsers"
)

// outputParserBase are the base classes after each parser's own type:
// LangChain's BaseOutputParser ancestry as Flowise lists it.
var outputParserBase = []string{"BaseLLMOutputParser", "Runnable"}

// autofixParam is the "Autofix" input every parser has.
var autofixParam = node.Param{
	Label:       "Autofix",
	Name:        inAutofix,
	Type:        node.TypeBoolean,
	Optional:    true,
	Description: "In the event that the first call fails, will make another call to the model to fix any errors.",
}
