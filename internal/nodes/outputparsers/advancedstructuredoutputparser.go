package outputparsers

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
)

const inExampleJSON = "exampleJson"

// advancedStructuredOutputParser mirrors Flowise's
// AdvancedStructuredOutputParser
// (nodes/outputparsers/StructuredOutputParserAdvanced): the answer's shape
// is a Zod schema expression, read by [parseZod] without running it. Unlike
// Flowise's parser, which insists on z.object at the top, any supported
// type is accepted there, so the marketplace template's
// z.array(z.object({...})) works.
var advancedStructuredOutputParser = node.Definition{
	Spec: node.Spec{
		Label:       "Advanced Structured Output Parser",
		Name:        "advancedStructuredOutputParser",
		Version:     1,
		Type:        "AdvancedStructuredOutputParser",
		Icon:        "structure.svg",
		Category:    category,
		Description: "Parse the output of an LLM call into a given structure by providing a Zod schema.",
		BaseClasses: append([]string{"AdvancedStructuredOutputParser"}, outputParserBase...),
		Inputs: []node.Param{
			autofixParam,
			{
				Label:       "Example JSON",
				Name:        inExampleJSON,
				Type:        node.TypeString,
				Description: "Zod schema for the output of the model",
				Rows:        10,
				Default: `z.object({
    title: z.string(), // Title of the movie as a string
    yearOfRelease: z.number().int(), // Release year as an integer number,
    genres: z.enum([
        "Action", "Comedy", "Drama", "Fantasy", "Horror",
        "Mystery", "Romance", "Science Fiction", "Thriller", "Documentary"
    ]).array().max(2), // Array of genres, max of 2 from the defined enum
    shortDescription: z.string().max(500) // Short description, max 500 characters
})`,
			},
		},
	},
	Init: initAdvancedStructuredOutputParser,
}

func initAdvancedStructuredOutputParser(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	autofix, err := data.Bool(inAutofix, false)
	if err != nil {
		return nil, err
	}
	src, err := data.String(inExampleJSON, "")
	if err != nil {
		return nil, err
	}
	if src == "" {
		return nil, fmt.Errorf("input %q of node %q: empty Zod schema", inExampleJSON, data.ID)
	}
	s, err := parseZod(src)
	if err != nil {
		return nil, fmt.Errorf("input %q of node %q: %w", inExampleJSON, data.ID, err)
	}
	return &schemaParser{schema: s, autofix: autofix}, nil
}
