package documentloaders

import (
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inJSONLinesFile = "jsonlinesFile"
	inPointerName   = "pointerName"
)

// jsonlinesFile mirrors Flowise's Json Lines File loader
// (nodes/documentloaders/Jsonlines/Jsonlines.ts, after LangChain's
// JSONLinesLoader): one document per line, the string at the pointer.
var jsonlinesFile = node.Definition{
	Spec: node.Spec{
		Label:       "Json Lines File",
		Name:        "jsonlinesFile",
		Version:     3,
		Type:        "Document",
		Icon:        "jsonlines.svg",
		Category:    category,
		Description: "Load data from JSON Lines files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "Jsonlines File", Name: inJSONLinesFile, Type: node.TypeFile, FileType: ".jsonl"},
			splitterParam,
			{
				Label:       "Pointer Extraction",
				Name:        inPointerName,
				Type:        node.TypeString,
				Placeholder: "key",
				Description: `Key whose string value becomes each line's document, e.g. "key" for {"key": "value"}`,
			},
			jsonMetadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initJSONLinesFile,
}

func initJSONLinesFile(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	files, err := fileInput(data, rt, inJSONLinesFile)
	if err != nil {
		return nil, err
	}
	name, err := data.String(inPointerName, "")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("input %q: a pointer name is required", inPointerName)
	}
	pointer := "/" + strings.TrimSpace(name)
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	mapping := pointerMapping(l.meta.extra)
	l.meta = l.meta.withoutPointers()
	l.read = func(ctx context.Context) ([]llm.Document, error) {
		return files.each(ctx, func(file string, b []byte) ([]llm.Document, error) {
			return jsonlDocs(file, b, pointer, mapping)
		})
	}
	return finish(ctx, data, l)
}

// jsonlDocs reads one JSON value per non-blank line and takes the string at
// pointer from each; a missing or non-string value is an error.
func jsonlDocs(name string, b []byte, pointer string, mapping []metaPointer) ([]llm.Document, error) {
	if err := requireText(name, b); err != nil {
		return nil, err
	}
	var contents []string
	var metas []map[string]any
	for i, line := range strings.Split(decodeText(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := parseJSON([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("parsing JSON Lines %q: line %d: %w", name, i+1, err)
		}
		got, ok := v.pointer(pointer)
		if !ok || got.kind != jString {
			kind := "missing"
			if ok {
				kind = got.kindName()
			}
			return nil, fmt.Errorf("parsing JSON Lines %q: line %d: value at %s is %s, want a string", name, i+1, pointer, kind)
		}
		contents = append(contents, got.str)
		metas = append(metas, recordMetadata(v, mapping))
	}
	return numbered(name, contents, metas), nil
}

// kindName names v's JSON type for errors.
func (v *jvalue) kindName() string {
	return [...]string{jNull: "null", jBool: "a boolean", jNumber: "a number", jString: "a string", jArray: "an array", jObject: "an object"}[v.kind]
}
