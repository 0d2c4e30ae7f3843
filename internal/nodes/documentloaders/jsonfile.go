package documentloaders

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inJSONFile         = "jsonFile"
	inSeparateByObject = "separateByObject"
	inPointersName     = "pointersName"
)

// jsonFile mirrors Flowise's Json File loader
// (nodes/documentloaders/Json/Json.ts, after LangChain's JSONLoader): every
// string found in the file (or only under the given keys) becomes a
// document, or with separateByObject each object of a top-level array
// becomes "key: value" lines. Additional metadata values that are JSON
// pointers ("/url") are read from each record.
var jsonFile = node.Definition{
	Spec: node.Spec{
		Label:       "Json File",
		Name:        "jsonFile",
		Version:     3.1,
		Type:        "Document",
		Icon:        "json.svg",
		Category:    category,
		Description: "Load data from JSON files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "Json File", Name: inJSONFile, Type: node.TypeFile, FileType: ".json"},
			splitterParam,
			{
				Label:            "Separate by JSON Object (JSON Array)",
				Name:             inSeparateByObject,
				Type:             node.TypeBoolean,
				Description:      "When the file holds a JSON array, make one document of each of its objects",
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:       "Pointers Extraction (separated by commas)",
				Name:        inPointersName,
				Type:        node.TypeString,
				Description: `Keys whose values become the documents, e.g. "key" extracts the strings under {"key": ...}; separate several with commas`,
				Placeholder: "key1, key2",
				Optional:    true,
				Hide:        map[string]any{inSeparateByObject: true},
			},
			jsonMetadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initJSONFile,
}

// jsonMetadataParam is the metadata param of the JSON loaders, whose
// pointer values read each record.
var jsonMetadataParam = node.Param{
	Label:    "Additional Metadata",
	Name:     inMetadata,
	Type:     node.TypeJSON,
	Optional: true,
	Description: `Metadata added to every extracted document. A value that is a JSON pointer is read from each record: ` +
		`{"page": "/source"} sets page to the record's source`,
	AdditionalParams: true,
}

// nonKeyChars matches what Flowise strips from pointer names.
var nonKeyChars = regexp.MustCompile(`[^a-zA-Z0-9,]+`)

func initJSONFile(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	files, err := fileInput(data, rt, inJSONFile)
	if err != nil {
		return nil, err
	}
	separate, err := data.Bool(inSeparateByObject, false)
	if err != nil {
		return nil, err
	}
	names, err := data.String(inPointersName, "")
	if err != nil {
		return nil, err
	}
	var keys []string
	if names != "" {
		for k := range strings.SplitSeq(nonKeyChars.ReplaceAllString(names, ","), ",") {
			keys = append(keys, strings.TrimSpace(k))
		}
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	mapping := pointerMapping(l.meta.extra)
	l.meta = l.meta.withoutPointers()
	l.read = func(ctx context.Context) ([]llm.Document, error) {
		return files.each(ctx, func(name string, b []byte) ([]llm.Document, error) {
			return jsonDocs(name, b, keys, mapping, separate)
		})
	}
	return finish(ctx, data, l)
}

// metaPointer maps a metadata key to the JSON pointer its value is read from.
type metaPointer struct{ key, pointer string }

// pointerMapping returns the extra metadata entries whose values are JSON
// pointers, sorted by key (a Go map has no order; Flowise keeps the first
// key of duplicated pointers, here the first in key order).
func pointerMapping(extra map[string]any) []metaPointer {
	var out []metaPointer
	seen := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		p, ok := extra[k].(string)
		if !ok || !strings.HasPrefix(p, "/") || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, metaPointer{key: k, pointer: p})
	}
	return out
}

// recordMetadata reads the mapped pointers from one record; missing ones
// are left out.
func recordMetadata(v *jvalue, mapping []metaPointer) map[string]any {
	m := map[string]any{}
	for _, mp := range mapping {
		if got, ok := v.pointer(mp.pointer); ok {
			m[mp.key] = got.toAny()
		}
	}
	return m
}

// jsonDocs extracts documents from one JSON file. keys nil means every
// string.
func jsonDocs(name string, b []byte, keys []string, mapping []metaPointer, separate bool) ([]llm.Document, error) {
	if err := requireText(name, b); err != nil {
		return nil, err
	}
	root, err := parseJSON([]byte(strings.TrimSpace(decodeText(b))))
	if err != nil {
		return nil, fmt.Errorf("parsing JSON %q: %w", name, err)
	}
	items := []*jvalue{root}
	if root.kind == jArray {
		items = root.arr
	}
	var contents []string
	var metas []map[string]any
	for _, item := range items {
		if separate {
			if item.kind == jObject {
				contents = append(contents, keyValueLines(item, ""))
				metas = append(metas, recordMetadata(item, mapping))
			}
			continue
		}
		md := recordMetadata(item, mapping)
		for _, s := range extractStrings(item, keys, keys == nil, false) {
			contents = append(contents, s)
			metas = append(metas, md)
		}
	}
	return numbered(name, contents, metas), nil
}

// extractStrings follows LangChain's JSONLoader: with extractAll it returns
// every string below v; otherwise the strings below the values of the given
// keys (at any depth), searching the rest of the tree only until a key has
// been found.
func extractStrings(v *jvalue, keys []string, extractAll, found bool) []string {
	if !v.truthy() {
		return nil
	}
	switch {
	case v.kind == jString && extractAll:
		return []string{v.str}
	case v.kind != jArray && v.kind != jObject:
		return nil
	case extractAll:
		var out []string
		for _, e := range v.values() {
			out = append(out, extractStrings(e, keys, true, false)...)
		}
		return out
	}
	var targeted []*jvalue
	for _, k := range keys {
		if e, ok := v.child(k); ok && e.truthy() {
			targeted = append(targeted, e)
		}
	}
	var others []*jvalue
	for _, e := range v.values() {
		isTarget := false
		for _, t := range targeted {
			if sameEntry(e, t) {
				isTarget = true
				break
			}
		}
		if !isTarget {
			others = append(others, e)
		}
	}
	var out []string
	switch {
	case len(targeted) > 0:
		for _, t := range targeted {
			out = append(out, extractStrings(t, keys, true, true)...)
		}
		for _, o := range others {
			out = append(out, extractStrings(o, keys, false, true)...)
		}
	case !found:
		for _, o := range others {
			out = append(out, extractStrings(o, keys, false, false)...)
		}
	}
	return out
}

// keyValueLines formats an object as "key: value" lines, nested objects
// with dotted keys and arrays as JSON.
func keyValueLines(v *jvalue, prefix string) string {
	lines := make([]string, 0, len(v.keys))
	for i, k := range v.keys {
		full := k
		if prefix != "" {
			full = prefix + "." + k
		}
		switch e := v.vals[i]; e.kind {
		case jObject:
			lines = append(lines, keyValueLines(e, full))
		default:
			lines = append(lines, full+": "+e.jsString())
		}
	}
	return strings.Join(lines, "\n")
}
