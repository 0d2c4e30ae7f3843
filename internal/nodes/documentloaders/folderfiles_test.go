package documentloaders

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// folderTree writes the folder fixture and returns the allowed root, the
// folder to load and a directory outside the root.
func folderTree(t *testing.T) (root, docs, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "root"), filepath.Join(base, "outside")
	docs = filepath.Join(root, "docs")
	files := map[string][]byte{
		"docs/a.txt":         []byte("alpha"),
		"docs/b.md":          []byte("beta"),
		"docs/data.json":     []byte(`["j1", "j2"]`),
		"docs/empty.py":      {},
		"docs/image.png":     {0x89, 'P', 'N', 'G'},
		"docs/memo.docx":     makeDocx(t, "<w:r><w:t>memo</w:t></w:r>"),
		"docs/notes.jsonl":   []byte(`{"c": "n1"}`),
		"docs/report.pdf":    makePDF([]string{"pdf text"}, false),
		"docs/rows.csv":      []byte("h\nv1\n"),
		"docs/sub/c.txt":     []byte("gamma"),
		"../outside/x.txt":   []byte("secret"),
		"../outside/sub.txt": []byte("secret too"),
	}
	for name, b := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatalf("mkdir: %v", err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatalf("writing fixture: %v", err)
		}
	}
	for link, target := range map[string]string{
		filepath.Join(docs, "link.txt"): filepath.Join(outside, "x.txt"),
		filepath.Join(docs, "sublink"):  outside,
		filepath.Join(root, "escape"):   outside,
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatalf("symlink: %v", err)
		}
	}
	return root, docs, outside
}

func TestFolderFiles(t *testing.T) {
	root, docs, outside := folderTree(t)
	src := func(rel string) string { return filepath.Join(docs, filepath.FromSlash(rel)) }
	all := []llm.Document{
		{PageContent: "alpha", Metadata: map[string]any{"source": src("a.txt")}},
		{PageContent: "beta", Metadata: map[string]any{"source": src("b.md")}},
		{PageContent: "j1", Metadata: map[string]any{"source": src("data.json"), "line": 1}},
		{PageContent: "j2", Metadata: map[string]any{"source": src("data.json"), "line": 2}},
		{PageContent: "memo\n\n", Metadata: map[string]any{"source": src("memo.docx")}},
		{PageContent: "n1", Metadata: map[string]any{"source": src("notes.jsonl")}},
		{PageContent: "pdf text", Metadata: map[string]any{"source": src("report.pdf"), "loc": map[string]any{"pageNumber": 1}}},
		{PageContent: "h: v1", Metadata: map[string]any{"source": src("rows.csv")}},
		{PageContent: "gamma", Metadata: map[string]any{"source": src("sub/c.txt")}},
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	tests := []struct {
		name    string
		env     string
		data    string
		want    []llm.Document
		wantErr string
	}{
		{
			name: "recursive",
			env:  root,
			data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(docs) + `,"recursive":true,"pointerName":"c","omitMetadataKeys":"pdf"}}`,
			want: all,
		},
		{
			name: "not recursive, root among several",
			env:  outside + ", " + root,
			data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(docs) + `,"recursive":false,"pointerName":"c","omitMetadataKeys":"pdf"}}`,
			want: all[:len(all)-1],
		},
		{name: "disabled", env: "", data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(docs) + `}}`, wantErr: "folder loader is disabled; set FLOE_FOLDER_LOADER_ROOT"},
		{name: "outside the roots", env: root, data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(outside) + `}}`, wantErr: "outside the directories allowed by FLOE_FOLDER_LOADER_ROOT"},
		{name: "dot-dot traversal", env: docs, data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(docs+"/../../outside") + `}}`, wantErr: "outside the directories allowed"},
		{name: "symlink out of the root", env: root, data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(filepath.Join(root, "escape")) + `}}`, wantErr: "outside the directories allowed"},
		{name: "jsonl without pointer", env: root, data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":` + q(docs) + `}}`, wantErr: "JSONL files need the \"pointerName\" input"},
		{name: "no path", env: root, data: `{"id":"folderFiles_0","name":"folderFiles","inputs":{"folderPath":""}}`, wantErr: `input "folderPath"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvFolderRoots, tc.env)
			got, err := load(t, folderFiles, nodeData(t, tc.data, nil), &node.Runtime{Logger: quiet})
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}
