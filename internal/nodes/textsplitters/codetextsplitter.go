package textsplitters

import (
	"context"

	"github.com/floehq/floe/internal/node"
)

const inLanguage = "language"

// codeLanguages are the options of the language input, in Flowise's order.
var codeLanguages = []string{
	"c", "cobol", "cpp", "csharp", "elixir", "go", "haskell", "html", "java", "js", "kotlin", "latex", "lua",
	"markdown", "php", "powershell", "proto", "python", "rst", "ruby", "rust", "scala", "sol", "swift", "ts",
}

// codeTextSplitter mirrors Flowise's CodeTextSplitter
// (nodes/textsplitters/CodeTextSplitter): a recursive character splitter
// with the separators of the chosen language (see [languageSeparators]).
var codeTextSplitter = node.Definition{
	Spec: node.Spec{
		Label:       "Code Text Splitter",
		Name:        "codeTextSplitter",
		Version:     1,
		Type:        "CodeTextSplitter",
		Icon:        "codeTextSplitter.svg",
		Category:    category,
		Description: "Split documents based on language-specific syntax",
		BaseClasses: []string{"CodeTextSplitter", "TextSplitter", "BaseDocumentTransformer", "Runnable"},
		Inputs: append([]node.Param{{
			Label:   "Language",
			Name:    inLanguage,
			Type:    node.TypeOptions,
			Options: languageOptions(),
		}}, sizeParams...),
	},
	Init: initCodeTextSplitter,
}

func languageOptions() []node.Option {
	opts := make([]node.Option, len(codeLanguages))
	for i, l := range codeLanguages {
		opts[i] = node.Option{Label: l, Name: l}
	}
	return opts
}

func initCodeTextSplitter(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	sz, err := readSizes(data)
	if err != nil {
		return nil, err
	}
	lang, err := data.String(inLanguage, "")
	if err != nil {
		return nil, err
	}
	// With no language Flowise falls back to the default separators; an
	// unknown one, which the UI cannot produce, is an error here.
	separators := defaultSeparators
	if lang != "" {
		var ok bool
		if separators, ok = languageSeparators[lang]; !ok {
			return nil, invalidInput(inLanguage, "unknown language %q", lang)
		}
	}
	return &textSplitter{chunker: newRecursive(sz, separators)}, nil
}
