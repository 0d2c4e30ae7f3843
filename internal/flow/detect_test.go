package flow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// templatesDir holds Flowise's marketplace templates, shared by the Floe
// workspace outside this module (see /work/shared/flows/README.md).
const templatesDir = "../../../shared/flows"

func TestTemplatesParseAndDetect(t *testing.T) {
	tests := []struct {
		dir  string
		want string
	}{
		{dir: "chatflows", want: TypeChatflow},
		{dir: "agentflowsv2", want: TypeAgentflow},
		// The older multi-agent flows are neither V2 nor plain chatflows;
		// DetectType classes them as chatflows, and they must parse.
		{dir: "agentflows", want: TypeChatflow},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join(templatesDir, tc.dir, "*.json"))
			if err != nil {
				t.Fatalf("listing templates: %v", err)
			}
			if len(files) == 0 {
				t.Fatalf("no templates in %s: the shared flows directory is missing", filepath.Join(templatesDir, tc.dir))
			}
			for _, file := range files {
				t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
					data, err := os.ReadFile(file)
					if err != nil {
						t.Fatalf("reading template: %v", err)
					}
					f, err := Parse(data)
					if err != nil {
						t.Fatalf("Parse: %v", err)
					}
					if len(f.Nodes) == 0 {
						t.Errorf("parsed no nodes")
					}
					if got := DetectType(f); got != tc.want {
						t.Errorf("DetectType = %q, want %q", got, tc.want)
					}
				})
			}
		})
	}
}

func TestDetectType(t *testing.T) {
	tests := []struct {
		name string
		flow Flow
		want string
	}{
		{name: "empty", want: TypeChatflow},
		{name: "v1 nodes", flow: Flow{Nodes: []Node{{Type: NodeTypeCustom, Data: NodeData{Name: "llmChain", Category: "Chains"}}}}, want: TypeChatflow},
		{name: "sticky note only", flow: Flow{Nodes: []Node{{Type: NodeTypeStickyNote, Data: NodeData{Name: "stickyNote", Category: "Utilities"}}}}, want: TypeChatflow},
		{name: "agent flows category", flow: Flow{Nodes: []Node{{Data: NodeData{Name: "llmAgentflow", Category: "Agent Flows"}}}}, want: TypeAgentflow},
		{name: "start node", flow: Flow{Nodes: []Node{{Data: NodeData{Name: "startAgentflow"}}}}, want: TypeAgentflow},
		{name: "agentFlow node type", flow: Flow{Nodes: []Node{{Type: NodeTypeAgentFlow, Data: NodeData{Name: "x"}}}}, want: TypeAgentflow},
		{name: "iteration node type", flow: Flow{Nodes: []Node{{Type: NodeTypeIteration, Data: NodeData{Name: "x"}}}}, want: TypeAgentflow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectType(&tc.flow); got != tc.want {
				t.Errorf("DetectType = %q, want %q", got, tc.want)
			}
		})
	}
}
