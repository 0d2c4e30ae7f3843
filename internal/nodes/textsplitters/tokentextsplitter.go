package textsplitters

import (
	"context"
	"fmt"
	"strings"

	"github.com/tiktoken-go/tokenizer"

	"github.com/floehq/floe/internal/node"
)

const inEncodingName = "encodingName"

// encodings maps the encoding names the token splitter accepts to the
// tokenizer's codec and the special tokens LangChain refuses to find in
// the text. gpt2 is r50k_base under another name (same ranks, pattern and
// special token, in tiktoken and js-tiktoken alike). o200k_base is not
// among Flowise's options but LangChain accepts it.
var encodings = map[string]struct {
	codec   tokenizer.Encoding
	special []string
}{
	"gpt2":        {tokenizer.R50kBase, []string{"<|endoftext|>"}},
	"r50k_base":   {tokenizer.R50kBase, []string{"<|endoftext|>"}},
	"p50k_base":   {tokenizer.P50kBase, []string{"<|endoftext|>"}},
	"p50k_edit":   {tokenizer.P50kEdit, []string{"<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"}},
	"cl100k_base": {tokenizer.Cl100kBase, []string{"<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"}},
	"o200k_base":  {tokenizer.O200kBase, []string{"<|endoftext|>", "<|endofprompt|>"}},
}

// tokenTextSplitter mirrors Flowise's TokenTextSplitter
// (nodes/textsplitters/TokenTextSplitter). Sizes count tokens.
var tokenTextSplitter = node.Definition{
	Spec: node.Spec{
		Label:       "Token Text Splitter",
		Name:        "tokenTextSplitter",
		Version:     1,
		Type:        "TokenTextSplitter",
		Icon:        "tiktoken.svg",
		Category:    category,
		Description: "Splits a raw text string by first converting the text into BPE tokens, then split these tokens into chunks and convert the tokens within a single chunk back into text.",
		BaseClasses: []string{"TokenTextSplitter", "TextSplitter", "BaseDocumentTransformer", "Runnable"},
		Inputs: append([]node.Param{{
			Label: "Encoding Name",
			Name:  inEncodingName,
			Type:  node.TypeOptions,
			Options: []node.Option{
				{Label: "gpt2", Name: "gpt2"},
				{Label: "r50k_base", Name: "r50k_base"},
				{Label: "p50k_base", Name: "p50k_base"},
				{Label: "p50k_edit", Name: "p50k_edit"},
				{Label: "cl100k_base", Name: "cl100k_base"},
			},
			Default: "gpt2",
		}}, sizeParams...),
	},
	Init: initTokenTextSplitter,
}

func initTokenTextSplitter(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	sz, err := readSizes(data)
	if err != nil {
		return nil, err
	}
	name, err := data.String(inEncodingName, "gpt2")
	if err != nil {
		return nil, err
	}
	enc, ok := encodings[name]
	if !ok {
		return nil, invalidInput(inEncodingName, "unknown encoding %q (want gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base or o200k_base)", name)
	}
	codec, err := tokenizer.Get(enc.codec)
	if err != nil {
		return nil, invalidInput(inEncodingName, "loading encoding %q: %v", name, err)
	}
	// Decoding a slice of tokens may cut a character in two; replace the
	// broken bytes as JavaScript's TextDecoder does.
	codec.SetErrorMode(tokenizer.ErrorModeReplace)
	return &textSplitter{chunker: &tokens{sizes: sz, name: name, codec: codec, special: enc.special}}, nil
}

// tokens is LangChain's TokenTextSplitter: it encodes the text, cuts the
// token ids into windows of chunkSize that overlap by chunkOverlap, and
// decodes each window.
type tokens struct {
	sizes
	name    string
	codec   tokenizer.Codec
	special []string
}

func (t *tokens) chunks(text units) ([]units, error) {
	s := text.String()
	// LangChain encodes with disallowedSpecial "all".
	for _, sp := range t.special {
		if strings.Contains(s, sp) {
			return nil, fmt.Errorf("splitting text with encoding %s: the text contains the special token %s, which is not allowed", t.name, sp)
		}
	}
	ids, _, err := t.codec.Encode(s)
	if err != nil {
		return nil, fmt.Errorf("encoding text with %s: %w", t.name, err)
	}
	var out []units
	for start := 0; start < len(ids); {
		if start > 0 {
			start -= t.chunkOverlap
		}
		end := min(start+t.chunkSize, len(ids))
		chunk, err := t.codec.Decode(ids[start:end])
		if err != nil {
			return nil, fmt.Errorf("decoding tokens with %s: %w", t.name, err)
		}
		// TextDecoder also drops a leading byte order mark.
		out = append(out, toUnits(strings.TrimPrefix(chunk, "\uFEFF")))
		start = end
	}
	return out, nil
}
