package textsplitters

import (
	"context"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inSplitByHeaders = "splitByHeaders"

// markdownTextSplitter mirrors Flowise's MarkdownTextSplitter
// (nodes/textsplitters/MarkdownTextSplitter): LangChain's splitter with
// the markdown separators, or, with "Split by Headers", Flowise's own
// one-section-per-header splitter.
var markdownTextSplitter = node.Definition{
	Spec: node.Spec{
		Label:       "Markdown Text Splitter",
		Name:        "markdownTextSplitter",
		Version:     1.1,
		Type:        "MarkdownTextSplitter",
		Icon:        "markdownTextSplitter.svg",
		Category:    category,
		Description: "Split your content into documents based on the Markdown headers",
		BaseClasses: []string{"MarkdownTextSplitter", "RecursiveCharacterTextSplitter", "TextSplitter", "BaseDocumentTransformer", "Runnable"},
		Inputs: append(slices.Clone(sizeParams), node.Param{
			Label:       "Split by Headers",
			Name:        inSplitByHeaders,
			Type:        node.TypeOptions,
			Description: "Split documents at specified header levels. Headers will be included with their content.",
			Default:     "disabled",
			Options: []node.Option{
				{Label: "Disabled", Name: "disabled"},
				{Label: "# Headers (H1)", Name: "h1"},
				{Label: "## Headers (H2)", Name: "h2"},
				{Label: "### Headers (H3)", Name: "h3"},
				{Label: "#### Headers (H4)", Name: "h4"},
				{Label: "##### Headers (H5)", Name: "h5"},
				{Label: "###### Headers (H6)", Name: "h6"},
			},
			Optional: true,
		}),
	},
	Init: initMarkdownTextSplitter,
}

// headerLevels maps the splitByHeaders options to the deepest header level
// that starts a section.
var headerLevels = map[string]int{"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

func initMarkdownTextSplitter(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	sz, err := readSizes(data)
	if err != nil {
		return nil, err
	}
	mode, err := data.String(inSplitByHeaders, "disabled")
	if err != nil {
		return nil, err
	}
	if level, ok := headerLevels[mode]; ok {
		return &headerSplitter{maxLevel: level}, nil
	}
	if mode != "disabled" {
		return nil, invalidInput(inSplitByHeaders, "unknown option %q (want disabled or h1 to h6)", mode)
	}
	return &textSplitter{chunker: newRecursive(sz, languageSeparators["markdown"])}, nil
}

// headerSplitter is Flowise's "Split by Headers" mode: the text is cut
// into sections, each starting at an ATX header ("#" to "######" then
// whitespace) no deeper than maxLevel and running to the next one; the
// text before the first such header is a section too. Sections are trimmed
// but not limited in size, and may be empty. Documents keep their
// metadata as is: there is no loc.lines in this mode.
type headerSplitter struct {
	maxLevel int
}

// SplitText cuts text into header sections.
func (h *headerSplitter) SplitText(text string) ([]string, error) {
	var sections []string
	var current []string
	for line := range strings.SplitSeq(text, "\n") {
		if depth := headerDepth(line); depth > 0 && depth <= h.maxLevel {
			if len(current) > 0 {
				sections = append(sections, jsTrim(strings.Join(current, "\n")))
			}
			current = []string{line}
			continue
		}
		current = append(current, line)
	}
	if len(current) > 0 {
		sections = append(sections, jsTrim(strings.Join(current, "\n")))
	}
	return sections, nil
}

// SplitDocuments cuts each document into header sections that carry a
// copy of its metadata.
func (h *headerSplitter) SplitDocuments(docs []llm.Document) ([]llm.Document, error) {
	var out []llm.Document
	for _, doc := range docs {
		sections, err := h.SplitText(doc.PageContent)
		if err != nil {
			return nil, err
		}
		for _, s := range sections {
			md := maps.Clone(doc.Metadata)
			if md == nil {
				md = map[string]any{}
			}
			out = append(out, llm.Document{PageContent: s, Metadata: md})
		}
	}
	return out, nil
}

// headerDepth returns the level of the ATX header line starts (1 to 6
// "#" followed by JavaScript whitespace), or 0.
func headerDepth(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n == len(line) {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(line[n:]); !isJSSpace(r) {
		return 0
	}
	return n
}

// jsTrim is JavaScript's String.prototype.trim.
func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

var _ llm.TextSplitter = (*headerSplitter)(nil)
