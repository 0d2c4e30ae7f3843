package documentloaders

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inText = "text"

// plainText mirrors Flowise's Plain Text loader
// (nodes/documentloaders/PlainText/PlainText.ts): the text input as one
// document with no default metadata.
var plainText = node.Definition{
	Spec: node.Spec{
		Label:       "Plain Text",
		Name:        "plainText",
		Version:     2,
		Type:        "Document",
		Icon:        "plaintext.svg",
		Category:    category,
		Description: "Load data from plain text",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{
				Label:       "Text",
				Name:        inText,
				Type:        node.TypeString,
				Rows:        4,
				Placeholder: "Type or paste the text to load...",
			},
			splitterParam,
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initPlainText,
}

func initPlainText(ctx context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	text, err := data.String(inText, "")
	if err != nil {
		return nil, err
	}
	if text == "" {
		return nil, fmt.Errorf("input %q: no text given", inText)
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = func(context.Context) ([]llm.Document, error) {
		return []llm.Document{{PageContent: text, Metadata: map[string]any{}}}, nil
	}
	return finish(ctx, data, l)
}
