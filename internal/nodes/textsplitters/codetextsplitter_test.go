package textsplitters

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestCodeTextSplitterInit(t *testing.T) {
	tests := []struct {
		name           string
		data           string
		wantSeparators []string
		wantErrInput   string
	}{
		{name: "langchain language", data: `{"inputs":{"language":"go","chunkSize":"300","chunkOverlap":"30"}}`, wantSeparators: languageSeparators["go"]},
		{name: "flowise language", data: `{"inputs":{"language":"ts"}}`, wantSeparators: languageSeparators["ts"]},
		{name: "no language", data: `{"inputs":{"language":""}}`, wantSeparators: defaultSeparators},
		{name: "unknown language", data: `{"inputs":{"language":"brainfuck"}}`, wantErrInput: inLanguage},
		{name: "bad overlap", data: `{"inputs":{"language":"go","chunkOverlap":"x"}}`, wantErrInput: inChunkOverlap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := initJSON(t, codeTextSplitter, tc.data)
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
			var seps []string
			for _, u := range chunkerOf(t, s).(*recursive).separators {
				seps = append(seps, u.String())
			}
			if diff := cmp.Diff(tc.wantSeparators, seps); diff != "" {
				t.Errorf("separators (-want +got):\n%s", diff)
			}
		})
	}
}
