package textsplitters

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/floehq/floe/internal/node"
)

func TestRecursiveCharacterTextSplitterInit(t *testing.T) {
	tests := []struct {
		name           string
		data           string
		wantSizes      sizes
		wantSeparators []string
		wantErrInput   string
	}{
		{
			name:           "as saved by a marketplace flow",
			data:           `{"id":"recursiveCharacterTextSplitter_0","name":"recursiveCharacterTextSplitter","inputs":{"chunkSize":1000,"chunkOverlap":"","separators":""}}`,
			wantSizes:      sizes{1000, 200},
			wantSeparators: defaultSeparators,
		},
		{
			name:           "custom separators as JSON text",
			data:           `{"inputs":{"chunkSize":"200","chunkOverlap":"20","separators":"[\"|\", \"##\", \">\", \"-\"]"}}`,
			wantSizes:      sizes{200, 20},
			wantSeparators: []string{"|", "##", ">", "-"},
		},
		{
			name:           "custom separators as an array",
			data:           `{"inputs":{"separators":["\n", ""]}}`,
			wantSizes:      sizes{1000, 200},
			wantSeparators: []string{"\n", ""},
		},
		{
			name:           "null keeps the defaults",
			data:           `{"inputs":{"separators":"null"}}`,
			wantSizes:      sizes{1000, 200},
			wantSeparators: defaultSeparators,
		},
		{name: "bad JSON", data: `{"inputs":{"separators":"[\"|\""}}`, wantErrInput: inSeparators},
		{name: "not a list", data: `{"inputs":{"separators":"{\"a\":1}"}}`, wantErrInput: inSeparators},
		{name: "plain text", data: `{"inputs":{"separators":"|"}}`, wantErrInput: inSeparators},
		{name: "overlap too large", data: `{"inputs":{"chunkSize":"10","chunkOverlap":"10"}}`, wantErrInput: inChunkOverlap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := initJSON(t, recursiveCharacterTextSplitter, tc.data)
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
			r, ok := chunkerOf(t, s).(*recursive)
			if !ok {
				t.Fatalf("chunker is %T, want *recursive", chunkerOf(t, s))
			}
			if r.sizes != tc.wantSizes {
				t.Errorf("sizes = %+v, want %+v", r.sizes, tc.wantSizes)
			}
			var seps []string
			for _, u := range r.separators {
				seps = append(seps, u.String())
			}
			if diff := cmp.Diff(tc.wantSeparators, seps); diff != "" {
				t.Errorf("separators (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecursiveSplitEdgeCases(t *testing.T) {
	tests := []struct {
		name       string
		separators []string
		size       int
		overlap    int
		text       string
		want       []string
	}{
		{name: "empty text", separators: defaultSeparators, size: 10, text: "", want: nil},
		{name: "only whitespace", separators: defaultSeparators, size: 10, text: " \n\n \n", want: nil},
		{name: "empty separator list cuts code units", separators: []string{}, size: 3, overlap: 1, text: "abcdef", want: []string{"abc", "cde", "ef"}},
		{name: "unmatched last separator keeps long pieces", separators: []string{"|"}, size: 3, text: "abcdef", want: []string{"abcdef"}},
		{name: "matched last separator cuts long pieces", separators: []string{"|"}, size: 4, text: "ab|cdefgh", want: []string{"ab", "|cde", "fgh"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecursive(sizes{tc.size, tc.overlap}, tc.separators)
			chunks, err := (&textSplitter{chunker: r}).SplitText(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, chunks, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("SplitText (-want +got):\n%s", diff)
			}
		})
	}
}
