// Package documentloaders holds the nodes of Flowise's "Document Loaders"
// category: nodes that read files, web pages, APIs and repositories into
// [llm.Document]s, optionally cut by a connected text splitter.
//
// Every loader's Init reads its source at once, as Flowise's init() does, so
// that a missing, empty or corrupt file fails the loader node itself (the
// Vector Upsert API reports that as the caller's error). It returns an
// [llm.Loader] handing out the loaded documents or, with the "text" output
// selected, their concatenated text. Remote fetches go through
// [node.Runtime.SafeClient] (see package netguard) and are capped in size;
// local folders are read only below the directories listed in
// FLOE_FOLDER_LOADER_ROOT.
package documentloaders

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// Inputs and outputs shared by every loader.
const (
	inTextSplitter     = "textSplitter"
	inMetadata         = "metadata"
	inOmitMetadataKeys = "omitMetadataKeys"

	outDocument = "document"
	outText     = "text"
)

// Size caps: remote bodies, stored and local folder files, and
// decompressed DOCX parts.
const (
	maxRemoteBytes   = 20 << 20
	maxLocalBytes    = 100 << 20
	maxDocxPartBytes = 64 << 20
)

const category = "Document Loaders"

// documentBase is the base class list of every loader.
var documentBase = []string{"Document"}

// Shared params, in the order Flowise lists them after each loader's own.
var (
	splitterParam = node.Param{Label: "Text Splitter", Name: inTextSplitter, Type: "TextSplitter", Optional: true}
	metadataParam = node.Param{
		Label:            "Additional Metadata",
		Name:             inMetadata,
		Type:             node.TypeJSON,
		Description:      "Metadata added to every extracted document",
		Optional:         true,
		AdditionalParams: true,
	}
	omitKeysParam = node.Param{
		Label: "Omit Metadata Keys",
		Name:  inOmitMetadataKeys,
		Type:  node.TypeString,
		Rows:  4,
		Description: "Comma-separated default metadata keys to drop from the documents (dotted paths reach nested keys). " +
			"Use * to drop them all and keep only the Additional Metadata",
		Placeholder:      "key1, key2, key3.nestedKey1",
		Optional:         true,
		AdditionalParams: true,
	}
	loaderOutputs = []node.Output{
		{Label: "Document", Name: outDocument, Description: "The documents, each with pageContent and metadata", BaseClasses: []string{"Document", "json"}},
		{Label: "Text", Name: outText, Description: "The documents' pageContent joined into one string", BaseClasses: []string{"string", "json"}},
	}
)

// loader is what every node's Init builds: it reads raw documents, splits
// them when a splitter is connected and applies the metadata options.
type loader struct {
	read     func(ctx context.Context) ([]llm.Document, error)
	splitter llm.TextSplitter
	meta     metaOptions
}

// newLoader reads the inputs every loader shares: the text splitter and the
// metadata options.
func newLoader(data *node.Data) (*loader, error) {
	l := &loader{}
	if data.Has(inTextSplitter) {
		s, err := node.Input[llm.TextSplitter](data, inTextSplitter)
		if err != nil {
			return nil, err
		}
		l.splitter = s
	}
	meta, err := readMetaOptions(data)
	if err != nil {
		return nil, err
	}
	l.meta = meta
	return l, nil
}

// Load reads, splits and labels the documents.
func (l *loader) Load(ctx context.Context) ([]llm.Document, error) {
	docs, err := l.read(ctx)
	if err != nil {
		return nil, err
	}
	if l.splitter != nil && len(docs) > 0 {
		if docs, err = l.splitter.SplitDocuments(docs); err != nil {
			return nil, fmt.Errorf("splitting documents: %w", err)
		}
	}
	return l.meta.apply(docs), nil
}

// finish loads l's documents and returns them as the node's instance, or
// with the "text" output selected, their contents each followed by a
// newline (Flowise's handleDocumentLoaderOutput, without its internal escape
// encoding).
func finish(ctx context.Context, data *node.Data, l *loader) (any, error) {
	docs, err := l.Load(ctx)
	if err != nil {
		return nil, err
	}
	if data.Outputs["output"] != outText {
		return documents(docs), nil
	}
	var b strings.Builder
	for _, d := range docs {
		b.WriteString(d.PageContent)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// decodeText turns file bytes into a string as a browser Blob.text() does:
// UTF-8 with a leading byte-order mark dropped and invalid bytes replaced.
func decodeText(b []byte) string {
	s := strings.TrimPrefix(string(b), "\uFEFF")
	return strings.ToValidUTF8(s, "\uFFFD")
}

// numbered adds the metadata of LangChain's TextLoader to docs read from one
// source: source on each, and line (1-based) when there are several.
func numbered(source string, contents []string, extra []map[string]any) []llm.Document {
	docs := make([]llm.Document, len(contents))
	for i, c := range contents {
		m := map[string]any{"source": source}
		if len(contents) > 1 {
			m["line"] = i + 1
		}
		if extra != nil {
			for k, v := range extra[i] {
				m[k] = v
			}
		}
		docs[i] = llm.Document{PageContent: c, Metadata: m}
	}
	return docs
}

// documents is a loader node's instance: the documents read at Init.
type documents []llm.Document

// Load returns the documents, each with its own copy of the metadata map,
// so callers may change what they get.
func (d documents) Load(context.Context) ([]llm.Document, error) {
	out := make([]llm.Document, len(d))
	for i, doc := range d {
		out[i] = llm.Document{PageContent: doc.PageContent, Metadata: maps.Clone(doc.Metadata)}
	}
	return out, nil
}

var (
	_ llm.Loader = (*loader)(nil)
	_ llm.Loader = documents(nil)
)
