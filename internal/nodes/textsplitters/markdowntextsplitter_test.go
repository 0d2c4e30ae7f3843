package textsplitters

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestMarkdownTextSplitterInit(t *testing.T) {
	tests := []struct {
		name         string
		data         string
		wantLevel    int // 0: LangChain's splitter
		wantErrInput string
	}{
		{name: "as saved by Github Docs QnA", data: `{"inputs":{"chunkSize":"4000","chunkOverlap":""}}`},
		{name: "disabled", data: `{"inputs":{"splitByHeaders":"disabled"}}`},
		{name: "h3", data: `{"inputs":{"splitByHeaders":"h3"}}`, wantLevel: 3},
		{name: "unknown mode", data: `{"inputs":{"splitByHeaders":"h7"}}`, wantErrInput: inSplitByHeaders},
		{name: "sizes still checked in header mode", data: `{"inputs":{"splitByHeaders":"h1","chunkSize":"10"}}`, wantErrInput: inChunkOverlap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := initJSON(t, markdownTextSplitter, tc.data)
			if tc.wantErrInput != "" {
				var ie *node.InputError
				if !errors.As(err, &ie) || ie.Input != tc.wantErrInput {
					t.Errorf("Init error = %v, want one naming input %q", err, tc.wantErrInput)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			switch s := s.(type) {
			case *headerSplitter:
				if s.maxLevel != tc.wantLevel {
					t.Errorf("maxLevel = %d, want %d", s.maxLevel, tc.wantLevel)
				}
			case *textSplitter:
				if tc.wantLevel != 0 {
					t.Errorf("got LangChain's splitter, want header level %d", tc.wantLevel)
				}
			default:
				t.Errorf("Init returned %T", s)
			}
		})
	}
}

func TestHeaderSplitter(t *testing.T) {
	h := &headerSplitter{maxLevel: 2}
	text := "\n# Title\nintro\n## A\n### A.1\nbody\n####### not a header\n#no space\n##\tB\n"
	got, err := h.SplitText(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", "# Title\nintro", "## A\n### A.1\nbody\n####### not a header\n#no space", "##\tB"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SplitText (-want +got):\n%s", diff)
	}

	md := map[string]any{"source": "x.md"}
	docs, err := h.SplitDocuments([]llm.Document{{PageContent: "# a\n## b", Metadata: md}})
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []llm.Document{
		{PageContent: "# a", Metadata: map[string]any{"source": "x.md"}},
		{PageContent: "## b", Metadata: map[string]any{"source": "x.md"}},
	}
	if diff := cmp.Diff(wantDocs, docs); diff != "" {
		t.Errorf("SplitDocuments (-want +got):\n%s", diff)
	}
	docs[0].Metadata["source"] = "changed"
	if md["source"] != "x.md" || docs[1].Metadata["source"] != "x.md" {
		t.Errorf("chunks share metadata maps with each other or the source")
	}
}
