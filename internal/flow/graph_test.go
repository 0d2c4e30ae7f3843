package flow

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEndingNodeAndOrder(t *testing.T) {
	tests := []struct {
		file      string
		wantEnd   string
		wantOrder []string
	}{
		{"Conversation Chain.json", "conversationChain_0", []string{"chatOpenAI_0", "bufferMemory_0", "conversationChain_0"}},
		{"LLM Chain.json", "llmChain_0", []string{"promptTemplate_0", "azureChatOpenAI_0", "llmChain_0"}},
		{"Advanced Structured Output Parser.json", "llmChain_0", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "flows", "chatflows", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			end, err := f.EndingNode()
			if err != nil {
				t.Fatal(err)
			}
			if end.ID != tc.wantEnd {
				t.Errorf("ending node: got %s, want %s", end.ID, tc.wantEnd)
			}
			order, err := f.Order(end.ID)
			if err != nil {
				t.Fatal(err)
			}
			pos := map[string]int{}
			for i, id := range order {
				pos[id] = i
			}
			for _, e := range f.Edges {
				if _, ok := pos[e.Target]; ok && pos[e.Source] >= pos[e.Target] {
					t.Errorf("%s built before its source %s", e.Target, e.Source)
				}
			}
			if order[len(order)-1] != end.ID {
				t.Errorf("order %v does not end with %s", order, end.ID)
			}
			if tc.wantOrder != nil {
				if diff := cmp.Diff(tc.wantOrder, order); diff != "" {
					t.Errorf("order (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestEndingNodeErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"no chain", `{"nodes":[{"id":"a","data":{"name":"chatOpenAI","category":"Chat Models"}},{"id":"b","data":{"name":"bufferMemory","category":"Memory"}}],"edges":[{"source":"a","target":"b"}]}`, ErrNoEndingNode},
		{"empty", `{"nodes":[],"edges":[]}`, ErrNoEndingNode},
		{"cycle", `{"nodes":[{"id":"a","data":{"name":"x","category":"Chat Models"}},{"id":"b","data":{"name":"y","category":"Memory"}},{"id":"c","data":{"name":"llmChain","category":"Chains"}}],"edges":[{"source":"a","target":"b"},{"source":"b","target":"a"},{"source":"b","target":"c"}]}`, ErrCycle},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			end, err := f.EndingNode()
			if err == nil {
				_, err = f.Order(end.ID)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}
