package documentloaders

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestTextFile(t *testing.T) {
	sample := readTestdata(t, "sample.txt")
	files := fakeFiles{
		"flow1/a.txt":     []byte("stored A"),
		"flow1/b.md":      []byte("# stored B\n\nbody"),
		"flow1/empty.txt": {},
	}
	rt := &node.Runtime{ChatflowID: "flow1", Files: files}
	tests := []struct {
		name    string
		data    string
		extra   map[string]any
		rt      *node.Runtime
		want    []llm.Document
		wantErr string
	}{
		{
			name: "data URI",
			data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"` + dataURI("text/plain", "sample.txt", sample) + `","textSplitter":"","metadata":"","omitMetadataKeys":""},"outputs":{"output":"document"}}`,
			want: []llm.Document{{PageContent: string(sample), Metadata: map[string]any{"source": "sample.txt"}}},
		},
		{
			name: "JSON array of data URIs",
			data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"[\"` + dataURI("text/plain", "one.txt", []byte("one")) + `\",\"` + dataURI("text/markdown", "two, with comma.md", []byte("two")) + `\"]"}}`,
			want: []llm.Document{
				{PageContent: "one", Metadata: map[string]any{"source": "one.txt"}},
				{PageContent: "two", Metadata: map[string]any{"source": "two, with comma.md"}},
			},
		},
		{
			name: "stored file list",
			data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::[\"a.txt\",\"b.md\"]"}}`,
			want: []llm.Document{
				{PageContent: "stored A", Metadata: map[string]any{"source": "a.txt"}},
				{PageContent: "# stored B\n\nbody", Metadata: map[string]any{"source": "b.md"}},
			},
		},
		{
			name:  "splitter, metadata and omitted keys",
			data:  `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::b.md","metadata":"{\"team\":\"docs\",\"source\":\"override\"}","omitMetadataKeys":"chunk"}}`,
			extra: map[string]any{inTextSplitter: lineSplitter{}},
			want: []llm.Document{
				{PageContent: "# stored B", Metadata: map[string]any{"source": "override", "team": "docs"}},
				{PageContent: "body", Metadata: map[string]any{"source": "override", "team": "docs"}},
			},
		},
		{
			name: "omit all default keys",
			data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::a.txt","metadata":{"team":"docs"},"omitMetadataKeys":"*"}}`,
			want: []llm.Document{{PageContent: "stored A", Metadata: map[string]any{"team": "docs"}}},
		},
		{name: "empty stored file", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::empty.txt"}}`, wantErr: `file "empty.txt" is empty`},
		{name: "missing stored file", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::gone.txt"}}`, wantErr: `reading stored file "gone.txt"`},
		{name: "no storage", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::a.txt"}}`, rt: &node.Runtime{}, wantErr: "no file storage available"},
		{name: "traversal in stored name", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::../secret.txt"}}`, wantErr: "invalid stored file name"},
		{name: "binary content", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"` + dataURI("text/plain", "fake.txt", makePDF([]string{"x"}, false)) + `"}}`, wantErr: `file "fake.txt": unsupported content type application/pdf`},
		{name: "corrupt base64", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"data:text/plain;base64,@@@,filename:bad.txt"}}`, wantErr: `file "bad.txt": decoding base64`},
		{name: "no file", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":""}}`, wantErr: `input "txtFile": no file given`},
		{name: "wrong splitter", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::a.txt"}}`, extra: map[string]any{inTextSplitter: 42}, wantErr: "textSplitter"},
		{name: "bad metadata JSON", data: `{"id":"textFile_0","name":"textFile","inputs":{"txtFile":"FILE-STORAGE::a.txt","metadata":"{nope"}}`, wantErr: `input "metadata"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rt
			if tc.rt != nil {
				r = tc.rt
			}
			got, err := load(t, textFile, nodeData(t, tc.data, tc.extra), r)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTextOutput(t *testing.T) {
	d := nodeData(t, `{"id":"plainText_0","name":"plainText","inputs":{"text":"line one\nline two"},"outputs":{"output":"text"}}`,
		map[string]any{inTextSplitter: lineSplitter{}})
	got, err := plainText.Init(t.Context(), d, &node.Runtime{})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if want := "line one\nline two\n"; got != want {
		t.Errorf("text output = %q, want %q", got, want)
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		extra map[string]any
		want  []llm.Document
	}{
		{
			name: "no splitter",
			data: `{"id":"plainText_0","name":"plainText","inputs":{"text":"Lorem ipsum","metadata":"{\"lang\":\"la\"}"},"outputs":{"output":"document"}}`,
			want: []llm.Document{{PageContent: "Lorem ipsum", Metadata: map[string]any{"lang": "la"}}},
		},
		{
			name:  "splitter and nested omit",
			data:  `{"id":"plainText_0","name":"plainText","inputs":{"text":"a\nb","omitMetadataKeys":"chunk, missing.key"}}`,
			extra: map[string]any{inTextSplitter: lineSplitter{}},
			want:  []llm.Document{{PageContent: "a", Metadata: map[string]any{}}, {PageContent: "b", Metadata: map[string]any{}}},
		},
	}
	if _, err := plainText.Init(t.Context(), nodeData(t, `{"id":"plainText_0","name":"plainText","inputs":{"text":""}}`, nil), &node.Runtime{}); err == nil {
		t.Errorf("Init with empty text succeeded, want an error")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := load(t, plainText, nodeData(t, tc.data, tc.extra), &node.Runtime{})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}
