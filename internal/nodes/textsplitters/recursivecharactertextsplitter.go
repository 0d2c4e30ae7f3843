package textsplitters

import (
	"context"
	"slices"

	"github.com/floehq/floe/internal/node"
)

const inSeparators = "separators"

// defaultSeparators are LangChain's RecursiveCharacterTextSplitter
// separators: paragraphs, lines, words, then code units.
var defaultSeparators = []string{"\n\n", "\n", " ", ""}

// recursiveCharacterTextSplitter mirrors Flowise's
// RecursiveCharacterTextSplitter (nodes/textsplitters/RecursiveCharacterTextSplitter).
var recursiveCharacterTextSplitter = node.Definition{
	Spec: node.Spec{
		Label:       "Recursive Character Text Splitter",
		Name:        "recursiveCharacterTextSplitter",
		Version:     2,
		Type:        "RecursiveCharacterTextSplitter",
		Icon:        "textsplitter.svg",
		Category:    category,
		Description: `Split documents recursively by different characters - starting with "\n\n", then "\n", then " "`,
		BaseClasses: []string{"RecursiveCharacterTextSplitter", "TextSplitter", "BaseDocumentTransformer", "Runnable"},
		Inputs: append(slices.Clone(sizeParams), node.Param{
			Label:            "Custom Separators",
			Name:             inSeparators,
			Type:             node.TypeString,
			Rows:             4,
			Description:      "Array of custom separators to determine when to split the text, will override the default separators",
			Placeholder:      `["|", "##", ">", "-"]`,
			AdditionalParams: true,
			Optional:         true,
		}),
	},
	Init: initRecursiveCharacterTextSplitter,
}

func initRecursiveCharacterTextSplitter(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	sz, err := readSizes(data)
	if err != nil {
		return nil, err
	}
	separators := defaultSeparators
	if data.Has(inSeparators) {
		// A JSON array of strings, saved as text (or, through the API, as
		// an array); null keeps the defaults, as in LangChain.
		var custom []string
		if err := data.JSON(inSeparators, &custom); err != nil {
			return nil, err
		}
		if custom != nil {
			separators = custom
		}
	}
	return &textSplitter{chunker: newRecursive(sz, separators)}, nil
}

// recursive is LangChain's RecursiveCharacterTextSplitter with
// keepSeparator true, the only way Flowise builds it: it splits on the
// first separator found in the text, merges the small pieces, and splits
// the pieces still too large with the separators after it.
type recursive struct {
	sizes
	separators []units
}

func newRecursive(sz sizes, separators []string) *recursive {
	r := &recursive{sizes: sz}
	for _, s := range separators {
		r.separators = append(r.separators, toUnits(s))
	}
	return r
}

func (r *recursive) chunks(text units) ([]units, error) {
	return r.split(text, r.separators), nil
}

// split is LangChain's _splitText. Its quirks are kept: when no separator
// occurs in the text, the last one is used and oversized pieces are kept
// whole; when the one found is the last, oversized pieces are cut into
// code units (an empty separator list).
func (r *recursive) split(text units, separators []units) []units {
	var sep units // JavaScript's separators[length-1] is undefined, i.e. ""
	if len(separators) > 0 {
		sep = separators[len(separators)-1]
	}
	var next []units
	hasNext := false
	for i, s := range separators {
		if len(s) == 0 {
			sep = s
			break
		}
		if text.contains(s) {
			sep, next, hasNext = s, separators[i+1:], true
			break
		}
	}
	var final, good []units
	for _, s := range splitOn(text, sep, true) {
		if len(s) < r.chunkSize {
			good = append(good, s)
			continue
		}
		if len(good) > 0 {
			final = append(final, r.merge(good, nil)...)
			good = nil
		}
		if !hasNext {
			final = append(final, s)
		} else {
			final = append(final, r.split(s, next)...)
		}
	}
	if len(good) > 0 {
		final = append(final, r.merge(good, nil)...)
	}
	return final
}
