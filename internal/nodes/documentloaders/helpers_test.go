package documentloaders

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/node"
)

// quiet discards the loaders' warnings in tests.
var quiet = slog.New(slog.DiscardHandler)

// fakeFiles is a node.FileReader over an in-memory map keyed by
// "<chatflowID>/<name>".
type fakeFiles map[string][]byte

func (f fakeFiles) ReadFile(_ context.Context, chatflowID, name string) ([]byte, error) {
	b, ok := f[chatflowID+"/"+name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, os.ErrNotExist)
	}
	return b, nil
}

// lineSplitter is a fake text splitter: one chunk per non-empty line, with
// the source metadata kept and the chunk index added.
type lineSplitter struct{}

func (lineSplitter) SplitText(text string) ([]string, error) {
	var out []string
	for l := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func (s lineSplitter) SplitDocuments(docs []llm.Document) ([]llm.Document, error) {
	var out []llm.Document
	for _, d := range docs {
		chunks, _ := s.SplitText(d.PageContent)
		for i, c := range chunks {
			m := maps.Clone(d.Metadata)
			if m == nil {
				m = map[string]any{}
			}
			m["chunk"] = i
			out = append(out, llm.Document{PageContent: c, Metadata: m})
		}
	}
	return out, nil
}

// dataURI encodes b as Flowise saves an uploaded file.
func dataURI(mime, name string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b) + ",filename:" + name
}

// readTestdata returns a fixture file's bytes.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return b
}

// nodeData builds node data from a JSON snippet as Flowise saves it, then
// sets extra inputs (connected instances, or values that are awkward to
// write inline).
func nodeData(t *testing.T, snippet string, extra map[string]any) *node.Data {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(snippet), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	if d.Inputs == nil {
		d.Inputs = map[string]any{}
	}
	maps.Copy(d.Inputs, extra)
	return &d
}

// load runs def's Init and, when it returns a loader, Load.
func load(t *testing.T, def node.Definition, d *node.Data, rt *node.Runtime) ([]llm.Document, error) {
	t.Helper()
	inst, err := def.Init(t.Context(), d, rt)
	if err != nil {
		return nil, err
	}
	l, ok := inst.(llm.Loader)
	if !ok {
		t.Fatalf("Init returned %T, want an llm.Loader", inst)
	}
	return l.Load(t.Context())
}

// checkErr reports whether err matches want (a substring; "" wants no
// error) and fails the test otherwise. It returns true when the test case
// should stop (an error was expected or happened).
func checkErr(t *testing.T, err error, want string) bool {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("got no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
	return want != ""
}

// safeRuntime returns a runtime whose SafeClient may reach only srv.
func safeRuntime(t *testing.T, srv *httptest.Server) *node.Runtime {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatalf("parsing server URL: %v", err)
	}
	return &node.Runtime{SafeClient: netguard.NewClient(netguard.Options{Allow: []string{u.Host}}), Logger: quiet}
}

// guardedRuntime returns a runtime whose SafeClient has no allow list.
func guardedRuntime() *node.Runtime {
	return &node.Runtime{SafeClient: netguard.NewClient(netguard.Options{}), Logger: quiet}
}

// wantForbidden fails unless err wraps netguard.ErrForbidden.
func wantForbidden(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, netguard.ErrForbidden) {
		t.Fatalf("error = %v, want netguard.ErrForbidden", err)
	}
}

// makePDF writes a minimal valid PDF with one Helvetica text line per page
// ("" makes a page without text). With swapXref, the cross-reference entry
// of the page tree points at another object, which makes the parser panic.
func makePDF(pages []string, swapXref bool) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids strings.Builder
	for i := range pages {
		fmt.Fprintf(&kids, "%d 0 R ", 5+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	obj("<< /Title (Fixture) /Producer (floe test) >>")
	for i, p := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 6+2*i))
		stream := "BT /F1 12 Tf 72 720 Td (" + p + ") Tj ET"
		if p == "" {
			stream = "0 0 m 10 10 l S"
		}
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	}
	if swapXref {
		offs[1] = offs[2]
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// makeDocx writes a minimal DOCX whose body holds the given paragraph XML
// (each a <w:p> element's inner XML).
func makeDocx(t *testing.T, paragraphs ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString("<w:p>" + p + "</w:p>")
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body.String() + `</w:body></w:document>`
	return zipFiles(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml": doc,
	})
}

// zipFiles writes a zip archive of the given name → content entries.
func zipFiles(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "other.txt"} {
		content, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatalf("creating zip entry: %v", err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatalf("writing zip entry: %v", err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("closing zip: %v", err)
	}
	return buf.Bytes()
}

// serve returns a test server answering each path with a handler.
func serve(t *testing.T, routes map[string]http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for p, h := range routes {
		mux.HandleFunc(p, h)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

var (
	_ node.FileReader  = fakeFiles(nil)
	_ llm.TextSplitter = lineSplitter{}
)
