package textsplitters

import (
	"context"
	"fmt"
	"slices"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"

	"github.com/floehq/floe/internal/node"
)

// htmlToMarkdownTextSplitter mirrors Flowise's HtmlToMarkdownTextSplitter
// (nodes/textsplitters/HtmlToMarkdownTextSplitter): the text is converted
// from HTML to Markdown, then split as the Markdown splitter does.
var htmlToMarkdownTextSplitter = node.Definition{
	Spec: node.Spec{
		Label:       "HtmlToMarkdown Text Splitter",
		Name:        "htmlToMarkdownTextSplitter",
		Version:     1,
		Type:        "HtmlToMarkdownTextSplitter",
		Icon:        "htmlToMarkdownTextSplitter.svg",
		Category:    category,
		Description: "Converts Html to Markdown and then split your content into documents based on the Markdown headers",
		BaseClasses: []string{
			"HtmlToMarkdownTextSplitter", "MarkdownTextSplitter", "RecursiveCharacterTextSplitter",
			"TextSplitter", "BaseDocumentTransformer", "Runnable",
		},
		Inputs: slices.Clone(sizeParams),
	},
	Init: initHTMLToMarkdownTextSplitter,
}

func initHTMLToMarkdownTextSplitter(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	sz, err := readSizes(data)
	if err != nil {
		return nil, err
	}
	return &textSplitter{chunker: &htmlToMarkdown{markdown: newRecursive(sz, languageSeparators["markdown"])}}, nil
}

// markdownConverter turns HTML into Markdown. Flowise uses the JavaScript
// node-html-markdown; the options bring html-to-markdown's output close to
// it (bullets "*", emphasis "_", GFM tables and strikethrough), but the
// two converters differ in details such as nested list spacing and table
// rules. A Converter is safe for concurrent use.
var markdownConverter = converter.NewConverter(converter.WithPlugins(
	base.NewBasePlugin(),
	commonmark.NewCommonmarkPlugin(
		commonmark.WithBulletListMarker("*"),
		commonmark.WithEmDelimiter("_"),
		commonmark.WithListEndComment(false),
	),
	strikethrough.NewStrikethroughPlugin(),
	table.NewTablePlugin(),
))

// htmlToMarkdown converts each text to Markdown before splitting it. As in
// Flowise, SplitDocuments still locates the chunks in the original HTML,
// where they are mostly not found, so their loc.lines are of little use.
type htmlToMarkdown struct {
	markdown *recursive
}

func (h *htmlToMarkdown) chunks(text units) ([]units, error) {
	md, err := htmlToMarkdownText(text.String())
	if err != nil {
		return nil, err
	}
	return h.markdown.chunks(toUnits(md))
}

// htmlToMarkdownText converts an HTML document or fragment to Markdown.
func htmlToMarkdownText(html string) (string, error) {
	md, err := markdownConverter.ConvertString(html)
	if err != nil {
		return "", fmt.Errorf("converting html to markdown: %w", err)
	}
	return md, nil
}
