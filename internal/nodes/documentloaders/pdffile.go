package documentloaders

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inPdfFile     = "pdfFile"
	inUsage       = "usage"
	inLegacyBuild = "legacyBuild"

	usagePerPage = "perPage"
	usagePerFile = "perFile"
)

// pdfUsageOptions are the choices of the PDF usage params.
var pdfUsageOptions = []node.Option{
	{Label: "One document per page", Name: usagePerPage},
	{Label: "One document per file", Name: usagePerFile},
}

// pdfFile mirrors Flowise's Pdf File loader
// (nodes/documentloaders/Pdf/Pdf.ts, LangChain's PDFLoader): one document
// per non-empty page with metadata pdf.totalPages and loc.pageNumber, or one
// per file with the pages joined by blank lines.
var pdfFile = node.Definition{
	Spec: node.Spec{
		Label:       "Pdf File",
		Name:        "pdfFile",
		Version:     2,
		Type:        "Document",
		Icon:        "pdf.svg",
		Category:    category,
		Description: "Load data from PDF files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "Pdf File", Name: inPdfFile, Type: node.TypeFile, FileType: ".pdf"},
			splitterParam,
			{Label: "Usage", Name: inUsage, Type: node.TypeOptions, Options: pdfUsageOptions, Default: usagePerPage},
			{
				Label:            "Use Legacy Build",
				Name:             inLegacyBuild,
				Type:             node.TypeBoolean,
				Optional:         true,
				AdditionalParams: true,
			},
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initPdfFile,
}

func initPdfFile(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	files, err := fileInput(data, rt, inPdfFile)
	if err != nil {
		return nil, err
	}
	perFile, err := pdfPerFile(data, inUsage)
	if err != nil {
		return nil, err
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = func(ctx context.Context) ([]llm.Document, error) {
		return files.each(ctx, func(name string, b []byte) ([]llm.Document, error) {
			return pdfDocs(name, b, perFile)
		})
	}
	return finish(ctx, data, l)
}

// pdfPerFile reads a usage option; anything but perFile means per page.
func pdfPerFile(data *node.Data, name string) (bool, error) {
	usage, err := data.String(name, usagePerPage)
	if err != nil {
		return false, err
	}
	switch usage {
	case usagePerPage, usagePerFile:
		return usage == usagePerFile, nil
	}
	return false, fmt.Errorf("input %q: unknown usage %q, want %s or %s", name, usage, usagePerPage, usagePerFile)
}

// pdfDocs extracts the text of a PDF. The parser panics on some malformed
// files; a panic becomes an error naming the file.
func pdfDocs(name string, b []byte, perFile bool) (docs []llm.Document, err error) {
	if err := requireType(name, b, "application/pdf"); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("parsing PDF %q: malformed file (parser panic: %v)", name, r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("parsing PDF %q: %w", name, err)
	}
	total := r.NumPage()
	info := pdfInfo(r)
	pdfMeta := func() map[string]any {
		m := map[string]any{"totalPages": total}
		if len(info) > 0 {
			m["info"] = info
		}
		return m
	}
	var pages []string
	for i := 1; i <= total; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		text, err := p.GetPlainText(nil)
		if err != nil {
			return nil, fmt.Errorf("parsing PDF %q: page %d: %w", name, i, err)
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if perFile {
			pages = append(pages, text)
			continue
		}
		docs = append(docs, llm.Document{PageContent: text, Metadata: map[string]any{
			"source": name,
			"pdf":    pdfMeta(),
			"loc":    map[string]any{"pageNumber": i},
		}})
	}
	if perFile && len(pages) > 0 {
		docs = []llm.Document{{PageContent: strings.Join(pages, "\n\n"), Metadata: map[string]any{
			"source": name,
			"pdf":    pdfMeta(),
		}}}
	}
	return docs, nil
}

// pdfInfo returns the text entries of the document information dictionary
// (Title, Author, Producer...).
func pdfInfo(r *pdf.Reader) map[string]any {
	dict := r.Trailer().Key("Info")
	if dict.Kind() != pdf.Dict {
		return nil
	}
	out := map[string]any{}
	for _, k := range dict.Keys() {
		if v := dict.Key(k); v.Kind() == pdf.String {
			out[k] = v.Text()
		}
	}
	return out
}
