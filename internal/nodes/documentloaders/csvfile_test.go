package documentloaders

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestCsvFile(t *testing.T) {
	people := readTestdata(t, "people.csv")
	rt := &node.Runtime{ChatflowID: "f", Files: fakeFiles{
		"f/people.csv": people,
		"f/semi.csv":   []byte("a;b\n1;2\n"),
		"f/ragged.csv": []byte("a,b,c\n1,2\n"),
		"f/one.csv":    []byte("q,\nwhat,5\" screen\n"),
		"f/quote.csv":  []byte("a,b\n\"open,2\n"),
		"f/header.csv": []byte("a,b\n"),
		"f/bin.csv":    makeDocx(t, "<w:r><w:t>x</w:t></w:r>"),
	}}
	tests := []struct {
		name    string
		data    string
		want    []llm.Document
		wantErr string
	}{
		{
			name: "rows as key value lines",
			data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"` + dataURI("text/csv", "people.csv", people) + `","columnName":""}}`,
			want: []llm.Document{
				{PageContent: "name: Ada\nage: 36\ncity: London", Metadata: map[string]any{"source": "people.csv", "line": 1}},
				{PageContent: "name: Linus\nage: 54\ncity: Helsinki", Metadata: map[string]any{"source": "people.csv", "line": 2}},
			},
		},
		{
			name: "single column, loader keys win over extra metadata",
			data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::people.csv","columnName":" age ","metadata":"{\"line\":0,\"kind\":\"person\"}"}}`,
			want: []llm.Document{
				{PageContent: " 36 ", Metadata: map[string]any{"source": "people.csv", "line": 1, "kind": "person"}},
				{PageContent: "54", Metadata: map[string]any{"source": "people.csv", "line": 2, "kind": "person"}},
			},
		},
		{
			name: "semicolon delimiter",
			data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::semi.csv"}}`,
			want: []llm.Document{{PageContent: "a: 1\nb: 2", Metadata: map[string]any{"source": "semi.csv"}}},
		},
		{
			name: "missing trailing field",
			data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::ragged.csv"}}`,
			want: []llm.Document{{PageContent: "a: 1\nb: 2\nc: undefined", Metadata: map[string]any{"source": "ragged.csv"}}},
		},
		{
			name: "blank header and bare quote",
			data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::one.csv"}}`,
			want: []llm.Document{{PageContent: "q: what\n_0: 5\" screen", Metadata: map[string]any{"source": "one.csv"}}},
		},
		{
			name: "header only",
			data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::header.csv"}}`,
			want: []llm.Document{},
		},
		{name: "unknown column", data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::people.csv","columnName":"email"}}`, wantErr: `parsing CSV "people.csv": column "email" not found`},
		{name: "column missing in a row", data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::ragged.csv","columnName":"c"}}`, wantErr: `row 1 has no value for column "c"`},
		{name: "unterminated quote", data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::quote.csv"}}`, wantErr: `parsing CSV "quote.csv"`},
		{name: "binary file", data: `{"id":"csvFile_0","name":"csvFile","inputs":{"csvFile":"FILE-STORAGE::bin.csv"}}`, wantErr: `file "bin.csv": unsupported content type`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := load(t, csvFile, nodeData(t, tc.data, nil), rt)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}
