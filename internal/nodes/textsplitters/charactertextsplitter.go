package textsplitters

import (
	"context"
	"slices"

	"github.com/floehq/floe/internal/node"
)

const inSeparator = "separator"

// characterTextSplitter mirrors Flowise's CharacterTextSplitter
// (nodes/textsplitters/CharacterTextSplitter).
var characterTextSplitter = node.Definition{
	Spec: node.Spec{
		Label:       "Character Text Splitter",
		Name:        "characterTextSplitter",
		Version:     1,
		Type:        "CharacterTextSplitter",
		Icon:        "textsplitter.svg",
		Category:    category,
		Description: `splits only on one type of character (defaults to "\n\n").`,
		BaseClasses: []string{"CharacterTextSplitter", "TextSplitter", "BaseDocumentTransformer", "Runnable"},
		Inputs: append(slices.Clone(sizeParams), node.Param{
			Label:       "Custom Separator",
			Name:        inSeparator,
			Type:        node.TypeString,
			Placeholder: `" "`,
			Description: "Separator to determine when to split the text, will override the default separator",
			Optional:    true,
		}),
	},
	Init: initCharacterTextSplitter,
}

func initCharacterTextSplitter(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	sz, err := readSizes(data)
	if err != nil {
		return nil, err
	}
	sep, err := rawString(data, inSeparator, "\n\n")
	if err != nil {
		return nil, err
	}
	return &textSplitter{chunker: &character{sizes: sz, separator: toUnits(sep)}}, nil
}

// rawString returns a string input exactly as saved, or fallback when it
// is absent or "". Unlike [node.Data.String] it keeps a value made only of
// spaces: a separator of " " is meaningful (Flowise tests the value with
// `if (separator)`, which only "" fails).
func rawString(data *node.Data, name, fallback string) (string, error) {
	if data != nil {
		if s, ok := data.Inputs[name].(string); ok {
			if s == "" {
				return fallback, nil
			}
			return s, nil
		}
	}
	return data.String(name, fallback)
}

// character is LangChain's CharacterTextSplitter (keepSeparator false, as
// Flowise builds it): split on one separator, then merge the pieces with
// it.
type character struct {
	sizes
	separator units
}

func (c *character) chunks(text units) ([]units, error) {
	return c.merge(splitOn(text, c.separator, false), c.separator), nil
}
