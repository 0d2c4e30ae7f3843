package engine

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/flow"
)

func template(t *testing.T, name string) *flow.Flow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "flows", "chatflows", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := flow.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestUpsertOnlyNodes(t *testing.T) {
	tests := []struct {
		template string
		want     []string
	}{
		{"Local QnA", []string{"recursiveCharacterTextSplitter_1", "textFile_0"}},
		{"Github Docs QnA", []string{"github_0", "markdownTextSplitter_0"}},
		{"Conversation Chain", nil},
	}
	for _, tc := range tests {
		t.Run(tc.template, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(upsertOnly(template(t, tc.template))))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpsertTarget(t *testing.T) {
	local := template(t, "Local QnA")
	tests := []struct {
		name, stop, want string
		f                *flow.Flow
		wantErr          bool
	}{
		{"the only vector store", "", "faiss_0", local, false},
		{"named", "faiss_0", "faiss_0", local, false},
		{"not a vector store", "textFile_0", "", local, true},
		{"unknown node", "nope_0", "", local, true},
		{"no vector store", "", "", template(t, "Conversation Chain"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := UpsertTarget(tc.f, tc.stop)
			if tc.wantErr {
				if !errors.Is(err, ErrUnrunnable) {
					t.Errorf("got %v, want ErrUnrunnable", err)
				}
				return
			}
			if err != nil || n.ID != tc.want {
				t.Errorf("got %v %v, want %s", n, err, tc.want)
			}
		})
	}
}
