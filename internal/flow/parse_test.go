package flow

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseValid(t *testing.T) {
	data := `{
		"nodes": [
			{"id": "chatOpenAI_0", "type": "customNode", "position": {"x": 1, "y": 2},
			 "data": {"id": "chatOpenAI_0", "name": "chatOpenAI", "label": "ChatOpenAI", "version": 8.2,
			          "category": "Chat Models", "baseClasses": ["ChatOpenAI", "BaseChatModel"],
			          "inputs": {"temperature": "0.9", "modelName": "gpt-4o-mini"},
			          "outputAnchors": [{"id": "chatOpenAI_0-output-chatOpenAI-ChatOpenAI|BaseChatModel", "name": "chatOpenAI", "type": "ChatOpenAI | BaseChatModel"}],
			          "outputs": {}, "credential": "cred-1"}},
			{"id": "llmChain_0", "type": "customNode", "position": {"x": 0, "y": 0},
			 "data": {"id": "llmChain_0", "name": "llmChain", "inputs": {"model": "{{chatOpenAI_0.data.instance}}"},
			          "outputs": {"output": "llmChain"}}},
			{"id": "stickyNote_0", "type": "stickyNote", "data": {"inputs": {"note": "hi"}}}
		],
		"edges": [
			{"source": "chatOpenAI_0", "sourceHandle": "chatOpenAI_0-output-chatOpenAI-ChatOpenAI|BaseChatModel",
			 "target": "llmChain_0", "targetHandle": "llmChain_0-input-model-BaseChatModel", "type": "buttonedge", "id": "e1"}
		],
		"viewport": {"x": 0, "y": 0, "zoom": 1}
	}`
	got, err := Parse([]byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := &Flow{
		Nodes: []Node{
			{
				ID: "chatOpenAI_0", Type: "customNode", Position: Position{X: 1, Y: 2},
				Data: NodeData{
					ID: "chatOpenAI_0", Name: "chatOpenAI", Label: "ChatOpenAI", Version: 8.2, Category: "Chat Models",
					BaseClasses: []string{"ChatOpenAI", "BaseChatModel"},
					Inputs:      map[string]any{"temperature": "0.9", "modelName": "gpt-4o-mini"},
					OutputAnchors: []Anchor{{
						ID: "chatOpenAI_0-output-chatOpenAI-ChatOpenAI|BaseChatModel", Name: "chatOpenAI", Type: "ChatOpenAI | BaseChatModel",
					}},
					Outputs: map[string]any{}, Credential: "cred-1",
				},
			},
			{
				ID: "llmChain_0", Type: "customNode",
				Data: NodeData{
					ID: "llmChain_0", Name: "llmChain", Inputs: map[string]any{"model": "{{chatOpenAI_0.data.instance}}"},
					Outputs: map[string]any{"output": "llmChain"},
				},
			},
			{ID: "stickyNote_0", Type: "stickyNote", Data: NodeData{Inputs: map[string]any{"note": "hi"}}},
		},
		Edges: []Edge{{
			ID: "e1", Source: "chatOpenAI_0", SourceHandle: "chatOpenAI_0-output-chatOpenAI-ChatOpenAI|BaseChatModel",
			Target: "llmChain_0", TargetHandle: "llmChain_0-input-model-BaseChatModel", Type: "buttonedge",
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	if n := got.Node("llmChain_0"); n == nil || n.Data.Name != "llmChain" {
		t.Errorf("Node(llmChain_0) = %v, want the llmChain node", n)
	}
	if n := got.Node("nope"); n != nil {
		t.Errorf("Node(nope) = %v, want nil", n)
	}
	if !got.Nodes[2].IsStickyNote() || got.Nodes[0].IsStickyNote() {
		t.Errorf("IsStickyNote: want only the sticky note to be one")
	}
}

func TestParseOptionalEdges(t *testing.T) {
	for _, data := range []string{
		`{"nodes": []}`,
		`{"nodes": [], "edges": null}`,
		`{"nodes": [], "edges": []}`,
	} {
		f, err := Parse([]byte(data))
		if err != nil {
			t.Errorf("Parse(%s): %v", data, err)
			continue
		}
		if len(f.Nodes) != 0 || len(f.Edges) != 0 {
			t.Errorf("Parse(%s) = %+v, want an empty flow", data, f)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	const chain = `{"id": "llmChain_0", "data": {"name": "llmChain"}}`
	tests := []struct {
		name string
		data string
		want string
	}{
		{name: "not JSON", data: `{"nodes": [`, want: "flowData: invalid JSON: unexpected end of JSON input"},
		{name: "empty input", data: ``, want: "flowData: invalid JSON: unexpected end of JSON input"},
		{name: "array at top", data: `[]`, want: "flowData: must be a JSON object, got array"},
		{name: "null at top", data: `null`, want: "flowData: must be a JSON object, got null"},
		{name: "string at top", data: `"x"`, want: "flowData: must be a JSON object, got string"},
		{name: "nodes missing", data: `{"edges": []}`, want: `flowData: missing "nodes" array`},
		{name: "nodes not array", data: `{"nodes": {"a": 1}}`, want: `flowData: "nodes" must be an array, got object`},
		{name: "nodes null", data: `{"nodes": null}`, want: `flowData: "nodes" must be an array, got null`},
		{name: "edges not array", data: `{"nodes": [], "edges": "x"}`, want: `flowData: "edges" must be an array, got string`},
		{name: "node not object", data: `{"nodes": [` + chain + `, 3]}`, want: "flowData: node 1 must be an object, got number"},
		{name: "node without id", data: `{"nodes": [` + chain + `, {"data": {"name": "x"}}]}`, want: "flowData: node 1 has no id"},
		{name: "node with empty id", data: `{"nodes": [{"id": "", "data": {"name": "x"}}]}`, want: "flowData: node 0 has no id"},
		{name: "node with null id", data: `{"nodes": [{"id": null, "data": {"name": "x"}}]}`, want: "flowData: node 0 has no id"},
		{name: "node with number id", data: `{"nodes": [{"id": 7, "data": {"name": "x"}}]}`, want: "flowData: node 0: id must be a string, got number"},
		{name: "duplicate id", data: `{"nodes": [` + chain + `,` + chain + `]}`, want: `flowData: duplicate node id "llmChain_0"`},
		{name: "node without name", data: `{"nodes": [{"id": "a_0", "type": "customNode", "data": {"label": "A"}}]}`, want: `flowData: node "a_0" has no data.name`},
		{name: "node without data", data: `{"nodes": [{"id": "a_0"}]}`, want: `flowData: node "a_0" has no data.name`},
		{name: "node field of wrong type", data: `{"nodes": [{"id": "a_0", "data": {"name": "a", "inputs": []}}]}`, want: `flowData: node "a_0": data.inputs must be an object, got array`},
		{name: "edge to missing node", data: `{"nodes": [` + chain + `], "edges": [{"id": "e1", "source": "llmChain_0", "target": "llmChain_9"}]}`, want: `flowData: edge "e1" targets missing node "llmChain_9"`},
		{name: "edge from missing node", data: `{"nodes": [` + chain + `], "edges": [{"id": "e1", "source": "x_0", "target": "llmChain_0"}]}`, want: `flowData: edge "e1" comes from missing node "x_0"`},
		{name: "edge without source", data: `{"nodes": [` + chain + `], "edges": [{"id": "e1", "target": "llmChain_0"}]}`, want: `flowData: edge "e1" has no source`},
		{name: "edge without target or id", data: `{"nodes": [` + chain + `], "edges": [{"source": "llmChain_0"}]}`, want: `flowData: edge 0 has no target`},
		{name: "edge not object", data: `{"nodes": [], "edges": [[]]}`, want: `flowData: edge 0 must be an object, got array`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.data))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", f, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error = %q, want %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidFlow) {
				t.Errorf("errors.Is(err, ErrInvalidFlow) = false, want true")
			}
			if _, ok := errors.AsType[*ValidationError](err); !ok {
				t.Errorf("error is %T, want *ValidationError", err)
			}
		})
	}
}

func TestAnchorScalars(t *testing.T) {
	data := `{"nodes": [{"id": "c_0", "type": "agentFlow", "data": {"name": "conditionAgentflow",
		"outputAnchors": [
			{"id": "c_0-output-0", "label": 0, "name": 0, "description": "Condition 0"},
			{"id": "c_0-output-1", "label": "Else", "name": true, "type": null,
			 "options": [{"id": "o", "name": 2, "label": "two"}]}
		]}}]}`
	f, err := Parse([]byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Anchor{
		{ID: "c_0-output-0", Label: "0", Name: "0", Description: "Condition 0"},
		{ID: "c_0-output-1", Label: "Else", Name: "true", Options: []Anchor{{ID: "o", Name: "2", Label: "two"}}},
	}
	if diff := cmp.Diff(want, f.Nodes[0].Data.OutputAnchors); diff != "" {
		t.Errorf("OutputAnchors (-want +got):\n%s", diff)
	}

	_, err = Parse([]byte(`{"nodes": [{"id": "c_0", "data": {"name": "c", "outputAnchors": [{"name": {"x": 1}}]}}]}`))
	if want := `flowData: node "c_0": anchor name: got object, want a string`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
