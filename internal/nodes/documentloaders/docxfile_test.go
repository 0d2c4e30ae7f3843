package documentloaders

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// bombDocx returns a DOCX whose document.xml inflates past the part cap;
// with lie, its header claims a small size.
func bombDocx(t *testing.T, lie bool) []byte {
	t.Helper()
	size := int64(maxDocxPartBytes + 1024)
	var compressed bytes.Buffer
	fw, err := flate.NewWriter(&compressed, flate.BestSpeed)
	if err != nil {
		t.Fatalf("flate: %v", err)
	}
	crc := crc32.NewIEEE()
	zeros := make([]byte, 1<<20)
	for written := int64(0); written < size; written += int64(len(zeros)) {
		_, _ = fw.Write(zeros)
		_, _ = crc.Write(zeros)
	}
	if err := fw.Close(); err != nil {
		t.Fatalf("flate close: %v", err)
	}
	declared := uint64(size+int64(len(zeros))) &^ (1<<20 - 1)
	if lie {
		declared = 100
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               "word/document.xml",
		Method:             zip.Deflate,
		CRC32:              crc.Sum32(),
		CompressedSize64:   uint64(compressed.Len()),
		UncompressedSize64: declared,
	})
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	if _, err := io.Copy(w, &compressed); err != nil {
		t.Fatalf("zip write: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("zip close: %v", err)
	}
	return buf.Bytes()
}

func TestDocxFile(t *testing.T) {
	doc := makeDocx(t,
		`<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Title</w:t></w:r>`,
		`<w:r><w:t xml:space="preserve">Hello </w:t></w:r><w:r><w:t>world</w:t><w:tab/><w:t>tabbed</w:t><w:br/><w:t>next &amp; last</w:t></w:r>`,
		`<w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText></w:r>`,
	)
	rt := &node.Runtime{ChatflowID: "f", Files: fakeFiles{
		"f/doc.docx":   doc,
		"f/empty.docx": makeDocx(t),
		"f/nodoc.docx": zipFiles(t, map[string]string{"other.txt": "hello"}),
		"f/trunc.docx": doc[:len(doc)/2],
		"f/bomb.docx":  bombDocx(t, false),
		"f/liar.docx":  bombDocx(t, true),
		"f/text.docx":  []byte("plain text pretending"),
	}}
	tests := []struct {
		name    string
		data    string
		want    []llm.Document
		wantErr string
	}{
		{
			name: "paragraphs, tabs and breaks",
			data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"` + dataURI("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "doc.docx", doc) + `"}}`,
			want: []llm.Document{{PageContent: "Title\n\nHello world\ttabbed\nnext & last\n\n\n\n", Metadata: map[string]any{"source": "doc.docx"}}},
		},
		{name: "empty document", data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"FILE-STORAGE::empty.docx"}}`, want: []llm.Document{}},
		{name: "zip without document part", data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"FILE-STORAGE::nodoc.docx"}}`, wantErr: `parsing DOCX "nodoc.docx": not a DOCX document`},
		{name: "truncated", data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"FILE-STORAGE::trunc.docx"}}`, wantErr: `"trunc.docx"`},
		{name: "zip bomb", data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"FILE-STORAGE::bomb.docx"}}`, wantErr: `parsing DOCX "bomb.docx": word/document.xml decompresses to more than`},
		{name: "zip bomb with lying header", data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"FILE-STORAGE::liar.docx"}}`, wantErr: `parsing DOCX "liar.docx"`},
		{name: "not a zip", data: `{"id":"docxFile_0","name":"docxFile","inputs":{"docxFile":"FILE-STORAGE::text.docx"}}`, wantErr: `file "text.docx": unsupported content type text/plain`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := load(t, docxFile, nodeData(t, tc.data, nil), rt)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}
