package textsplitters

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

var update = flag.Bool("update", false, "rewrite testdata/htmlmd from the Go HTML to Markdown converter")

// golden is one file of testdata/golden, written by testdata/gen/gen.mjs
// with LangChain JS.
type golden struct {
	Node      string         `json:"node"`
	Inputs    map[string]any `json:"inputs"`
	Input     string         `json:"input"`
	Markdown  string         `json:"markdownInput"`
	Metadata  map[string]any `json:"metadata"`
	Texts     []string       `json:"texts"`
	Documents []any          `json:"documents"`
}

// TestGolden runs every splitter of every golden file on its input and
// compares splitText's chunks and splitDocuments' documents with LangChain
// JS's.
//
// The htmlToMarkdownTextSplitter goldens were made by running Flowise's
// splitter class on the Markdown that the Go converter produces
// (testdata/htmlmd, checked by TestHTMLConversionFiles) instead of
// node-html-markdown's: the two converters legitimately differ, so these
// goldens pin the splitting and the loc bookkeeping (which searches the
// chunks in the original HTML), not the conversion.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*_*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files (%v); run testdata/gen", err)
	}
	r := node.NewRegistry()
	Register(r)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			var g golden
			readJSON(t, file, &g)
			def, err := r.Lookup(g.Node)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join("testdata", "inputs", g.Input))
			if err != nil {
				t.Fatalf("reading input: %v", err)
			}
			text := string(raw)
			inst, err := def.Init(t.Context(), &node.Data{ID: g.Node + "_0", Name: g.Node, Inputs: g.Inputs}, &node.Runtime{})
			if err != nil {
				t.Fatalf("Init(%v): %v", g.Inputs, err)
			}
			splitter, ok := inst.(llm.TextSplitter)
			if !ok {
				t.Fatalf("Init returned %T, want an llm.TextSplitter", inst)
			}

			texts, err := splitter.SplitText(text)
			if err != nil {
				t.Fatalf("SplitText: %v", err)
			}
			if diff := cmp.Diff(g.Texts, texts); diff != "" {
				t.Errorf("SplitText (-want +got):\n%s", diff)
			}

			docs, err := splitter.SplitDocuments([]llm.Document{{PageContent: text, Metadata: g.Metadata}})
			if err != nil {
				t.Fatalf("SplitDocuments: %v", err)
			}
			if diff := cmp.Diff(g.Documents, asJSON(t, docs)); diff != "" {
				t.Errorf("SplitDocuments (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLanguageSeparators compares the code splitter's separators with the
// ones Flowise resolves per language (LangChain's lists plus Flowise's).
func TestLanguageSeparators(t *testing.T) {
	var want map[string][]string
	readJSON(t, filepath.Join("testdata", "golden", "languages.json"), &want)
	if diff := cmp.Diff(want, languageSeparators); diff != "" {
		t.Errorf("languageSeparators (-want +got):\n%s", diff)
	}
	for _, l := range codeLanguages {
		if _, ok := languageSeparators[l]; !ok {
			t.Errorf("language option %q has no separators", l)
		}
	}
	if len(codeLanguages) != len(languageSeparators) {
		t.Errorf("%d language options, %d separator lists", len(codeLanguages), len(languageSeparators))
	}
}

// TestHTMLConversionFiles checks that testdata/htmlmd holds the Go
// converter's Markdown for every input, which the htmlToMarkdownTextSplitter
// goldens were generated from. Run with -update to rewrite it, then rerun
// testdata/gen.
func TestHTMLConversionFiles(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "inputs", "*"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs (%v)", err)
	}
	for _, in := range inputs {
		raw, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		md, err := htmlToMarkdownText(string(raw))
		if err != nil {
			t.Fatalf("converting %s: %v", in, err)
		}
		path := filepath.Join("testdata", "htmlmd", filepath.Base(in)+".md")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading %s (run with -update): %v", path, err)
		}
		if diff := cmp.Diff(string(want), md); diff != "" {
			t.Errorf("%s is stale; run with -update and regenerate the goldens (-file +converter):\n%s", path, diff)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
}

// asJSON round-trips v through JSON so that it compares with decoded
// golden values (numbers as float64, maps as map[string]any).
func asJSON(t *testing.T, v any) []any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
