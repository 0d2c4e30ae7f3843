package documentloaders

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid or duplicate spec
	type summary struct {
		Version    float64
		Credential []string
	}
	want := map[string]summary{
		"apiLoader":         {Version: 2.1},
		"cheerioWebScraper": {Version: 2},
		"csvFile":           {Version: 3},
		"docxFile":          {Version: 2},
		"folderFiles":       {Version: 4},
		"github":            {Version: 3, Credential: []string{"githubApi"}},
		"jsonFile":          {Version: 3.1},
		"jsonlinesFile":     {Version: 3},
		"pdfFile":           {Version: 2},
		"plainText":         {Version: 2},
		"textFile":          {Version: 3},
	}
	got := map[string]summary{}
	for _, def := range r.List() {
		s := def.Spec
		sum := summary{Version: s.Version}
		if s.Credential != nil {
			sum.Credential = s.Credential.CredentialNames
		}
		got[s.Name] = sum
		if s.Category != "Document Loaders" || s.Type != "Document" || !slices.Equal(s.BaseClasses, []string{"Document"}) {
			t.Errorf("%s: category %q, type %q, base classes %v; want Document Loaders, Document, [Document]", s.Name, s.Category, s.Type, s.BaseClasses)
		}
		names := make([]string, 0, len(s.Outputs))
		for _, o := range s.Outputs {
			names = append(names, o.Name)
		}
		if !slices.Equal(names, []string{"document", "text"}) {
			t.Errorf("%s: outputs %v, want [document text]", s.Name, names)
		}
		hasSplitter := slices.ContainsFunc(s.Inputs, func(p node.Param) bool {
			return p.Name == inTextSplitter && p.Type == "TextSplitter" && p.Optional
		})
		if !hasSplitter {
			t.Errorf("%s: no optional TextSplitter input", s.Name)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("registered nodes (-want +got):\n%s", diff)
	}
}

func TestMetaOptions(t *testing.T) {
	shared := map[string]any{"views": 3, "author": "ann"}
	docs := []llm.Document{
		{PageContent: "a", Metadata: map[string]any{"source": "f", "pdf": shared}},
		{PageContent: "b", Metadata: map[string]any{"source": "f", "pdf": shared}},
	}
	tests := []struct {
		name string
		meta metaOptions
		want []map[string]any
	}{
		{
			name: "nested omit copies shared maps",
			meta: metaOptions{omit: []string{"pdf.views"}},
			want: []map[string]any{
				{"source": "f", "pdf": map[string]any{"author": "ann"}},
				{"source": "f", "pdf": map[string]any{"author": "ann"}},
			},
		},
		{
			name: "extra overrides by default",
			meta: metaOptions{extra: map[string]any{"source": "x"}, omit: []string{"pdf"}},
			want: []map[string]any{{"source": "x"}, {"source": "x"}},
		},
		{
			name: "loader wins",
			meta: metaOptions{extra: map[string]any{"source": "x", "k": 1}, omit: []string{"pdf"}, loaderWins: true},
			want: []map[string]any{{"source": "f", "k": 1}, {"source": "f", "k": 1}},
		},
		{
			name: "omit all keeps extra only, pointers dropped",
			meta: metaOptions{extra: map[string]any{"page": "/url", "k": 1}, omitAll: true}.withoutPointers(),
			want: []map[string]any{{"k": 1}, {"k": 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := tc.meta.apply(docs)
			got := make([]map[string]any, len(out))
			for i, d := range out {
				got[i] = d.Metadata
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("metadata (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]any{"views": 3, "author": "ann"}, shared); diff != "" {
				t.Errorf("shared nested map changed (-want +got):\n%s", diff)
			}
		})
	}
}
