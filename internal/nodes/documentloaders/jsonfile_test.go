package documentloaders

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestJSONFile(t *testing.T) {
	posts := readTestdata(t, "posts.json")
	rt := &node.Runtime{ChatflowID: "f", Files: fakeFiles{
		"f/posts.json": posts,
		"f/order.json": []byte(`{"b":"1","2":"two","a":"x","1":"one","b":"dup"}`),
		"f/bad.json":   []byte(`[{"a": "x"},`),
		"f/trail.json": []byte(`{"a": "x"} {"b": "y"}`),
	}}
	src := func(line int, extra map[string]any) map[string]any {
		m := map[string]any{"source": "posts.json"}
		if line > 0 {
			m["line"] = line
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		data    string
		want    []llm.Document
		wantErr string
	}{
		{
			name: "every string",
			data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"` + dataURI("application/json", "posts.json", posts) + `","pointersName":""}}`,
			want: []llm.Document{
				{PageContent: "https://example.com/a", Metadata: src(1, nil)},
				{PageContent: "First", Metadata: src(2, nil)},
				{PageContent: "Body one", Metadata: src(3, nil)},
				{PageContent: "x", Metadata: src(4, nil)},
				{PageContent: "y", Metadata: src(5, nil)},
				{PageContent: "Ann", Metadata: src(6, nil)},
				{PageContent: "https://example.com/b", Metadata: src(7, nil)},
				{PageContent: "Second", Metadata: src(8, nil)},
				{PageContent: "Body two", Metadata: src(9, nil)},
			},
		},
		{
			name: "pointers with metadata mapping",
			data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"FILE-STORAGE::posts.json","pointersName":"body, title","metadata":"{\"page\":\"/url\",\"views\":\"/meta/views\",\"team\":\"docs\"}"}}`,
			want: []llm.Document{
				{PageContent: "Body one", Metadata: src(1, map[string]any{"page": "https://example.com/a", "views": 10.0, "team": "docs"})},
				{PageContent: "First", Metadata: src(2, map[string]any{"page": "https://example.com/a", "views": 10.0, "team": "docs"})},
				{PageContent: "Body two", Metadata: src(3, map[string]any{"page": "https://example.com/b", "team": "docs"})},
				{PageContent: "Second", Metadata: src(4, map[string]any{"page": "https://example.com/b", "team": "docs"})},
			},
		},
		{
			name: "pointer found deep",
			data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"FILE-STORAGE::posts.json","pointersName":"name"}}`,
			want: []llm.Document{{PageContent: "Ann", Metadata: src(0, nil)}},
		},
		{
			name: "separate by object",
			data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"FILE-STORAGE::posts.json","separateByObject":true}}`,
			want: []llm.Document{
				{PageContent: "url: https://example.com/a\ntitle: First\nbody: Body one\ntags: [\"x\",\"y\"]\nmeta.views: 10\nmeta.author.name: Ann", Metadata: src(1, nil)},
				{PageContent: "url: https://example.com/b\ntitle: Second\nbody: Body two\ntags: []\nmeta: null", Metadata: src(2, nil)},
			},
		},
		{
			name: "JavaScript key order",
			data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"FILE-STORAGE::order.json","omitMetadataKeys":"line"}}`,
			want: []llm.Document{
				{PageContent: "one", Metadata: map[string]any{"source": "order.json"}},
				{PageContent: "two", Metadata: map[string]any{"source": "order.json"}},
				{PageContent: "dup", Metadata: map[string]any{"source": "order.json"}},
				{PageContent: "x", Metadata: map[string]any{"source": "order.json"}},
			},
		},
		{name: "corrupt JSON", data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"FILE-STORAGE::bad.json"}}`, wantErr: `parsing JSON "bad.json"`},
		{name: "trailing data", data: `{"id":"jsonFile_0","name":"jsonFile","inputs":{"jsonFile":"FILE-STORAGE::trail.json"}}`, wantErr: `parsing JSON "trail.json"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := load(t, jsonFile, nodeData(t, tc.data, nil), rt)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJSONLinesFile(t *testing.T) {
	notes := readTestdata(t, "notes.jsonl")
	rt := &node.Runtime{ChatflowID: "f", Files: fakeFiles{
		"f/notes.jsonl": notes,
		"f/num.jsonl":   []byte(`{"content": 5}`),
		"f/bad.jsonl":   []byte("{\"content\": \"ok\"}\n{oops\n"),
	}}
	tests := []struct {
		name    string
		data    string
		want    []llm.Document
		wantErr string
	}{
		{
			name: "pointer and mapped metadata",
			data: `{"id":"jsonlinesFile_0","name":"jsonlinesFile","inputs":{"jsonlinesFile":"` + dataURI("application/octet-stream", "notes.jsonl", notes) + `","pointerName":" content ","metadata":{"site":"/source","kind":"note"}}}`,
			want: []llm.Document{
				{PageContent: "Hello World!", Metadata: map[string]any{"source": "notes.jsonl", "line": 1, "site": "a.com", "kind": "note"}},
				{PageContent: "Hi World!", Metadata: map[string]any{"source": "notes.jsonl", "line": 2, "site": "b.com", "kind": "note"}},
			},
		},
		{name: "no pointer", data: `{"id":"jsonlinesFile_0","name":"jsonlinesFile","inputs":{"jsonlinesFile":"FILE-STORAGE::notes.jsonl","pointerName":""}}`, wantErr: `input "pointerName"`},
		{name: "not a string", data: `{"id":"jsonlinesFile_0","name":"jsonlinesFile","inputs":{"jsonlinesFile":"FILE-STORAGE::num.jsonl","pointerName":"content"}}`, wantErr: `"num.jsonl": line 1: value at /content is a number, want a string`},
		{name: "missing key", data: `{"id":"jsonlinesFile_0","name":"jsonlinesFile","inputs":{"jsonlinesFile":"FILE-STORAGE::notes.jsonl","pointerName":"title"}}`, wantErr: "value at /title is missing"},
		{name: "corrupt line", data: `{"id":"jsonlinesFile_0","name":"jsonlinesFile","inputs":{"jsonlinesFile":"FILE-STORAGE::bad.jsonl","pointerName":"content"}}`, wantErr: `parsing JSON Lines "bad.jsonl": line 2`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := load(t, jsonlinesFile, nodeData(t, tc.data, nil), rt)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}
