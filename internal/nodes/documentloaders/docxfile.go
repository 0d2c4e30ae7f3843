package documentloaders

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inDocxFile = "docxFile"

// docxFile mirrors Flowise's Docx File loader
// (nodes/documentloaders/Docx/Docx.ts, LangChain's DocxLoader over mammoth's
// raw text): one document per file, each paragraph followed by a blank
// line.
var docxFile = node.Definition{
	Spec: node.Spec{
		Label:       "Docx File",
		Name:        "docxFile",
		Version:     2,
		Type:        "Document",
		Icon:        "docx.svg",
		Category:    category,
		Description: "Load data from DOCX files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "Docx File", Name: inDocxFile, Type: node.TypeFile, FileType: ".docx"},
			splitterParam,
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initDocxFile,
}

func initDocxFile(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	files, err := fileInput(data, rt, inDocxFile)
	if err != nil {
		return nil, err
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = func(ctx context.Context) ([]llm.Document, error) { return files.each(ctx, docxDocs) }
	return finish(ctx, data, l)
}

// docxDocs reads the text of one DOCX file; an empty document yields none.
func docxDocs(name string, b []byte) ([]llm.Document, error) {
	if err := requireType(name, b, "application/zip"); err != nil {
		return nil, err
	}
	text, err := docxText(b)
	if err != nil {
		return nil, fmt.Errorf("parsing DOCX %q: %w", name, err)
	}
	if text == "" {
		return nil, nil
	}
	return numbered(name, []string{text}, nil), nil
}

// WordprocessingML namespaces: transitional and strict.
const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
)

// errPartTooLarge reports a document part over maxDocxPartBytes once
// decompressed: likely a zip bomb.
var errPartTooLarge = fmt.Errorf("word/document.xml decompresses to more than %d bytes", maxDocxPartBytes)

// docxText extracts the raw text of word/document.xml: run text, tabs and
// breaks, with "\n\n" after each paragraph.
func docxText(b []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("not a DOCX document: %w", err)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
			break
		}
	}
	if part == nil {
		return "", errors.New("not a DOCX document: no word/document.xml")
	}
	if part.UncompressedSize64 > maxDocxPartBytes {
		return "", errPartTooLarge
	}
	rc, err := part.Open()
	if err != nil {
		return "", fmt.Errorf("opening word/document.xml: %w", err)
	}
	defer rc.Close()
	capped := &capReader{r: rc, left: maxDocxPartBytes}
	dec := xml.NewDecoder(capped)
	var out strings.Builder
	inText, inTabStops := false, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if capped.over {
				return "", errPartTooLarge
			}
			return "", fmt.Errorf("reading word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != wordNS && t.Name.Space != wordStrictNS {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tabs":
				inTabStops++
			case "tab":
				if inTabStops == 0 {
					out.WriteByte('\t')
				}
			case "br", "cr":
				out.WriteByte('\n')
			}
		case xml.EndElement:
			if t.Name.Space != wordNS && t.Name.Space != wordStrictNS {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "tabs":
				inTabStops--
			case "p":
				out.WriteString("\n\n")
			}
		case xml.CharData:
			if inText {
				out.Write(t)
			}
		}
	}
	return out.String(), nil
}

// capReader reads at most left bytes and then fails, remembering that it
// did.
type capReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.over = true
		return 0, errPartTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
