package documentloaders

import (
	"context"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inTxtFile = "txtFile"

// textFile mirrors Flowise's Text File loader
// (nodes/documentloaders/Text/Text.ts): one document per file.
var textFile = node.Definition{
	Spec: node.Spec{
		Label:       "Text File",
		Name:        "textFile",
		Version:     3,
		Type:        "Document",
		Icon:        "Txt.svg",
		Category:    category,
		Description: "Load data from text files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{
				Label: "Txt File",
				Name:  inTxtFile,
				Type:  node.TypeFile,
				FileType: ".txt, .html, .aspx, .asp, .cpp, .c, .cs, .css, .go, .h, .java, .js, .less, .ts, .php, .proto, " +
					".python, .py, .rst, .ruby, .rb, .rs, .scala, .sc, .scss, .sol, .sql, .swift, .markdown, .md, .tex, .ltx, .vb, .xml",
			},
			splitterParam,
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initTextFile,
}

func initTextFile(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	files, err := fileInput(data, rt, inTxtFile)
	if err != nil {
		return nil, err
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = func(ctx context.Context) ([]llm.Document, error) { return files.each(ctx, textDocs) }
	return finish(ctx, data, l)
}

// textDocs reads one text file as one document whose source is its name.
func textDocs(name string, b []byte) ([]llm.Document, error) {
	if err := requireText(name, b); err != nil {
		return nil, err
	}
	return numbered(name, []string{decodeText(b)}, nil), nil
}
