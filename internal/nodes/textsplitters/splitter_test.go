package textsplitters

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// initJSON runs def's Init on node data given as JSON, as Flowise saves it.
func initJSON(t *testing.T, def node.Definition, data string) (llm.TextSplitter, error) {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	inst, err := def.Init(t.Context(), &d, &node.Runtime{})
	if err != nil {
		return nil, err
	}
	s, ok := inst.(llm.TextSplitter)
	if !ok {
		t.Fatalf("Init returned %T, want an llm.TextSplitter", inst)
	}
	return s, nil
}

// chunkerOf returns the chunker behind a splitter built by Init.
func chunkerOf(t *testing.T, s llm.TextSplitter) chunker {
	t.Helper()
	ts, ok := s.(*textSplitter)
	if !ok {
		t.Fatalf("splitter is %T, want *textSplitter", s)
	}
	return ts.chunker
}

func TestSizes(t *testing.T) {
	tests := []struct {
		name      string
		inputs    string
		want      sizes
		wantInput string // the input named by the error, "" for success
	}{
		{name: "absent", inputs: `{}`, want: sizes{1000, 200}},
		{name: "blank strings", inputs: `{"chunkSize":"","chunkOverlap":""}`, want: sizes{1000, 200}},
		{name: "stringly", inputs: `{"chunkSize":"1000","chunkOverlap":"100"}`, want: sizes{1000, 100}},
		{name: "numbers", inputs: `{"chunkSize":500,"chunkOverlap":50}`, want: sizes{500, 50}},
		{name: "zero overlap", inputs: `{"chunkSize":"300","chunkOverlap":"0"}`, want: sizes{300, 0}},
		{name: "numeric zero overlap", inputs: `{"chunkSize":300,"chunkOverlap":0}`, want: sizes{300, 0}},
		{name: "overlap equals size", inputs: `{"chunkSize":"100","chunkOverlap":"100"}`, wantInput: inChunkOverlap},
		{name: "default overlap above size", inputs: `{"chunkSize":"150"}`, wantInput: inChunkOverlap},
		{name: "negative size", inputs: `{"chunkSize":"-5","chunkOverlap":"-10"}`, wantInput: inChunkSize},
		{name: "zero size", inputs: `{"chunkSize":"0","chunkOverlap":"0"}`, wantInput: inChunkSize},
		{name: "negative overlap", inputs: `{"chunkSize":"100","chunkOverlap":"-1"}`, wantInput: inChunkOverlap},
		{name: "not a number", inputs: `{"chunkSize":"big"}`, wantInput: inChunkSize},
		{name: "fraction", inputs: `{"chunkOverlap":"2.5"}`, wantInput: inChunkOverlap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d node.Data
			if err := json.Unmarshal([]byte(`{"id":"x_0","inputs":`+tc.inputs+`}`), &d); err != nil {
				t.Fatal(err)
			}
			got, err := readSizes(&d)
			if tc.wantInput != "" {
				var ie *node.InputError
				if !errors.As(err, &ie) || ie.Input != tc.wantInput || !errors.Is(err, node.ErrInvalidInput) {
					t.Errorf("readSizes = %v, %v; want an invalid-input error naming %q", got, err, tc.wantInput)
				}
				return
			}
			if err != nil {
				t.Fatalf("readSizes: %v", err)
			}
			if got != tc.want {
				t.Errorf("readSizes = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSizeErrorMessage(t *testing.T) {
	_, err := initJSON(t, recursiveCharacterTextSplitter, `{"inputs":{"chunkSize":"100","chunkOverlap":"200"}}`)
	want := `input "chunkOverlap": chunk overlap 200 must be less than chunk size 100`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestSplitOn(t *testing.T) {
	tests := []struct {
		name, text, sep string
		keep            bool
		want            []string
	}{
		{name: "drop separator", text: "a\n\nb\n\n\n\nc", sep: "\n\n", want: []string{"a", "b", "c"}},
		{name: "keep before each occurrence", text: "a\n\n\nb", sep: "\n\n", keep: true, want: []string{"a", "\n", "\n\nb"}},
		{name: "keep, separator first", text: "\n\na\n\nb", sep: "\n\n", keep: true, want: []string{"\n\na", "\n\nb"}},
		{name: "keep, separator last", text: "a--", sep: "--", keep: true, want: []string{"a", "--"}},
		{name: "empty separator cuts code units", text: "a😀", sep: "", want: []string{"a", "\uFFFD", "\uFFFD"}},
		{name: "no occurrence", text: "abc", sep: "|", want: []string{"abc"}},
		{name: "only separators", text: "||||", sep: "||", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, u := range splitOn(toUnits(tc.text), toUnits(tc.sep), tc.keep) {
				got = append(got, u.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("splitOn (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnits(t *testing.T) {
	u := toUnits("ab😀c\nd")
	if got := len(u); got != 7 {
		t.Errorf("len = %d, want 7 (UTF-16 code units)", got)
	}
	for _, tc := range []struct {
		sub  string
		from int
		want int
	}{
		{"c", 0, 4}, {"😀", 0, 2}, {"😀", 3, -1}, {"", 99, 7}, {"b", -5, 1}, {"zz", 0, -1},
	} {
		if got := u.index(toUnits(tc.sub), tc.from); got != tc.want {
			t.Errorf("index(%q, %d) = %d, want %d", tc.sub, tc.from, got, tc.want)
		}
	}
	for _, tc := range []struct {
		start, end int
		want       string
	}{
		{0, -1, "ab😀c\n"}, {-2, 7, "\nd"}, {5, 2, ""}, {0, 99, "ab😀c\nd"},
	} {
		if got := u.slice(tc.start, tc.end).String(); got != tc.want {
			t.Errorf("slice(%d, %d) = %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
	// JavaScript's trim strips U+FEFF and keeps U+0085, unlike strings.TrimSpace.
	if got := toUnits("\uFEFF\u3000 x\u0085\u00a0\n").trim().String(); got != "x\u0085" {
		t.Errorf("trim = %q, want %q", got, "x\u0085")
	}
}

func TestSplitDocumentsMetadata(t *testing.T) {
	s, err := initJSON(t, recursiveCharacterTextSplitter, `{"inputs":{"chunkSize":"11","chunkOverlap":"0"}}`)
	if err != nil {
		t.Fatal(err)
	}
	orig := map[string]any{"source": "a.txt", "loc": map[string]any{"pageNumber": 2}}
	docs, err := s.SplitDocuments([]llm.Document{
		{PageContent: "one two\nthree four", Metadata: orig},
		{PageContent: "five"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Document{
		{PageContent: "one two", Metadata: map[string]any{"source": "a.txt", "loc": map[string]any{"pageNumber": 2, "lines": map[string]any{"from": 1, "to": 1}}}},
		{PageContent: "three four", Metadata: map[string]any{"source": "a.txt", "loc": map[string]any{"pageNumber": 2, "lines": map[string]any{"from": 2, "to": 2}}}},
		{PageContent: "five", Metadata: map[string]any{"loc": map[string]any{"lines": map[string]any{"from": 1, "to": 1}}}},
	}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("SplitDocuments (-want +got):\n%s", diff)
	}
	if _, ok := orig["loc"].(map[string]any)["lines"]; ok {
		t.Errorf("SplitDocuments modified the source document's metadata: %v", orig)
	}
}
