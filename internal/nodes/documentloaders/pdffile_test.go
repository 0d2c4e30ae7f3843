package documentloaders

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestPdfFile(t *testing.T) {
	pdf := makePDF([]string{"Hello page one", "", "Page three text"}, false)
	info := map[string]any{"Title": "Fixture", "Producer": "floe test"}
	pdfMeta := map[string]any{"totalPages": 3, "info": info}
	rt := &node.Runtime{ChatflowID: "f", Files: fakeFiles{
		"f/report.pdf":  pdf,
		"f/broken.pdf":  makePDF([]string{"x"}, true),
		"f/garbage.pdf": append([]byte("%PDF-1.4\n"), []byte("not really a pdf at all")...),
	}}
	tests := []struct {
		name    string
		data    string
		extra   map[string]any
		want    []llm.Document
		wantErr string
	}{
		{
			name: "per page skips empty pages",
			data: `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"` + dataURI("application/pdf", "report.pdf", pdf) + `","usage":"perPage"},"outputs":{"output":"document"}}`,
			want: []llm.Document{
				{PageContent: "Hello page one", Metadata: map[string]any{"source": "report.pdf", "pdf": pdfMeta, "loc": map[string]any{"pageNumber": 1}}},
				{PageContent: "Page three text", Metadata: map[string]any{"source": "report.pdf", "pdf": pdfMeta, "loc": map[string]any{"pageNumber": 3}}},
			},
		},
		{
			name: "per file from storage, omitting nested key",
			data: `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"FILE-STORAGE::report.pdf","usage":"perFile","omitMetadataKeys":"pdf.info"}}`,
			want: []llm.Document{
				{PageContent: "Hello page one\n\nPage three text", Metadata: map[string]any{"source": "report.pdf", "pdf": map[string]any{"totalPages": 3}}},
			},
		},
		{
			name:  "default usage is per page, split",
			data:  `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"FILE-STORAGE::report.pdf","omitMetadataKeys":"pdf, chunk"}}`,
			extra: map[string]any{inTextSplitter: lineSplitter{}},
			want: []llm.Document{
				{PageContent: "Hello page one", Metadata: map[string]any{"source": "report.pdf", "loc": map[string]any{"pageNumber": 1}}},
				{PageContent: "Page three text", Metadata: map[string]any{"source": "report.pdf", "loc": map[string]any{"pageNumber": 3}}},
			},
		},
		{name: "parser panic", data: `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"FILE-STORAGE::broken.pdf"}}`, wantErr: `parsing PDF "broken.pdf": malformed file`},
		{name: "malformed", data: `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"FILE-STORAGE::garbage.pdf"}}`, wantErr: `parsing PDF "garbage.pdf"`},
		{name: "not a pdf", data: `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"` + dataURI("application/pdf", "notes.pdf", []byte("just text")) + `"}}`, wantErr: `file "notes.pdf": unsupported content type text/plain`},
		{name: "unknown usage", data: `{"id":"pdfFile_0","name":"pdfFile","inputs":{"pdfFile":"FILE-STORAGE::report.pdf","usage":"perLine"}}`, wantErr: `unknown usage "perLine"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := load(t, pdfFile, nodeData(t, tc.data, tc.extra), rt)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}
