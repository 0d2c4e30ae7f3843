package textsplitters

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCharacterTextSplitterInit(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		text    string
		want    []string
		wantErr bool
	}{
		{name: "default separator", data: `{"inputs":{"chunkSize":"12","chunkOverlap":"0"}}`, text: "one two\n\nthree\n\nfour", want: []string{"one two", "three\n\nfour"}},
		{name: "blank separator keeps the default", data: `{"inputs":{"chunkSize":"12","chunkOverlap":"0","separator":""}}`, text: "a b\n\nc", want: []string{"a b\n\nc"}},
		{name: "space separator is kept", data: `{"inputs":{"chunkSize":"5","chunkOverlap":"0","separator":" "}}`, text: "aa bb cc dd", want: []string{"aa bb", "cc dd"}},
		{name: "literal backslash n, as typed in the UI", data: `{"inputs":{"chunkSize":"3","chunkOverlap":"0","separator":"\\n"}}`, text: "a\\nb\nc", want: []string{"a", "b\nc"}},
		{name: "separator as a number", data: `{"inputs":{"chunkSize":"3","chunkOverlap":"0","separator":0}}`, text: "1101", want: []string{"11", "1"}},
		{name: "object separator", data: `{"inputs":{"separator":{}}}`, wantErr: true},
		{name: "bad size", data: `{"inputs":{"chunkSize":"abc"}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := initJSON(t, characterTextSplitter, tc.data)
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			got, err := s.SplitText(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SplitText (-want +got):\n%s", diff)
			}
		})
	}
}
