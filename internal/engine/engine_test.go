package engine

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/node"
)

// recorder keeps the resolved inputs each fake node was built with.
type recorder struct {
	mu sync.Mutex
	// guards inputs
	inputs map[string]map[string]any
}

func (r *recorder) init(ctx context.Context, d *node.Data, rt *node.Runtime) (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inputs[d.ID] = d.Inputs
	return d.ID + "-instance", nil
}

// fakeChain ends a flow: it answers with its "model" input's instance and
// the question.
type fakeChain struct{ model any }

func (c fakeChain) Run(ctx context.Context, in node.RunInput, emit node.Emitter) (node.RunOutput, error) {
	_ = emit.Emit(node.Event{Kind: node.EventToken, Data: "tok"})
	return node.RunOutput{Text: in.Question + "|" + c.model.(string)}, nil
}

func newTestEngine(t *testing.T) (*Engine, *recorder) {
	t.Helper()
	rec := &recorder{inputs: map[string]map[string]any{}}
	reg := node.NewRegistry()
	reg.MustRegister(node.Definition{
		Spec: node.Spec{Label: "Fake Model", Name: "fakeModel", Type: "FakeModel", Category: "Chat Models", BaseClasses: []string{"BaseChatModel"},
			Inputs: []node.Param{{Label: "Temperature", Name: "temperature", Type: "number", Optional: true}}},
		Init: rec.init,
	})
	reg.MustRegister(node.Definition{
		Spec: node.Spec{Label: "Fake Prompt", Name: "fakePrompt", Type: "FakePrompt", Category: "Prompts", BaseClasses: []string{"BasePromptTemplate"},
			Inputs: []node.Param{{Label: "Values", Name: "promptValues", Type: "json", Optional: true, AcceptVariable: true}}},
		Init: rec.init,
	})
	reg.MustRegister(node.Definition{
		Spec: node.Spec{Label: "Fake Chain", Name: "fakeChain", Type: "FakeChain", Category: "Chains", BaseClasses: []string{"BaseChain"},
			Inputs: []node.Param{{Label: "Model", Name: "model", Type: "BaseChatModel"}, {Label: "Prompt", Name: "prompt", Type: "BasePromptTemplate", Optional: true}}},
		Init: func(ctx context.Context, d *node.Data, rt *node.Runtime) (any, error) {
			if _, err := rec.init(ctx, d, rt); err != nil {
				return nil, err
			}
			return fakeChain{model: d.Inputs["model"]}, nil
		},
	})
	return &Engine{Nodes: reg}, rec
}

const testFlow = `{"nodes":[
 {"id":"fakeModel_0","data":{"id":"fakeModel_0","name":"fakeModel","label":"ChatOpenAI","category":"Chat Models","inputs":{"temperature":0.9,"stop":["a"],"baseOptions":{"x":1},"cfg":"{\"k\":\"v\"}"}}},
 {"id":"fakeModel_1","data":{"id":"fakeModel_1","name":"fakeModel","label":"Other Model","category":"Chat Models","inputs":{"temperature":0.1}}},
 {"id":"fakePrompt_0","data":{"id":"fakePrompt_0","name":"fakePrompt","label":"Prompt","category":"Prompts","inputs":{"promptValues":"{\"q\":\"{{question}}\",\"v\":\"{{$vars.color}}\",\"f\":\"{{$flow.sessionId}}\",\"m\":\"{{fakeModel_1.data.instance}}\"}","plain":"{{question}} {{$vars.color}}"}}},
 {"id":"fakeChain_0","data":{"id":"fakeChain_0","name":"fakeChain","label":"Chain","category":"Chains","inputs":{"model":"{{fakeModel_0.data.instance}}","prompt":"{{fakePrompt_0.data.instance}}"}}}],
 "edges":[{"source":"fakeModel_0","target":"fakeChain_0"},{"source":"fakePrompt_0","target":"fakeChain_0"},{"source":"fakeModel_1","target":"fakePrompt_0"}]}`

func run(t *testing.T, overrides map[string]any, perms Permissions) (*Result, *recorder) {
	t.Helper()
	e, rec := newTestEngine(t)
	f, err := flow.Parse([]byte(testFlow))
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Run(t.Context(), Request{ChatflowID: "cf", ChatID: "c1", SessionID: "s1", Flow: f, Question: "hi \"there\"",
		Overrides: overrides, Permissions: perms, Vars: map[string]string{"color": "blue", "secret": "x"}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res, rec
}

func TestResolveReferences(t *testing.T) {
	res, rec := run(t, nil, Permissions{})
	if res.Text != "hi \"there\"|fakeModel_0-instance" {
		t.Errorf("chain answer: got %q", res.Text)
	}
	want := map[string]any{"q": "hi \"there\"", "v": "blue", "f": "s1", "m": "fakeModel_1-instance"}
	if diff := cmp.Diff(want, rec.inputs["fakePrompt_0"]["promptValues"]); diff != "" {
		t.Errorf("promptValues (-want +got):\n%s", diff)
	}
	// A param without acceptVariable gets $vars but not {{question}}.
	if got := rec.inputs["fakePrompt_0"]["plain"]; got != "{{question}} blue" {
		t.Errorf("plain input: got %q", got)
	}
}

func TestOverrides(t *testing.T) {
	allowTemp := Permissions{Enabled: true, Nodes: map[string][]string{"ChatOpenAI": {"temperature", "stop", "baseOptions", "cfg"}}, Variables: []string{"color"}}
	tests := []struct {
		name      string
		overrides map[string]any
		perms     Permissions
		node      string
		input     string
		want      any
	}{
		{"enabled scalar", map[string]any{"temperature": 0.2}, allowTemp, "fakeModel_0", "temperature", 0.2},
		{"scalar with overrides off", map[string]any{"temperature": 0.2}, Permissions{Nodes: allowTemp.Nodes}, "fakeModel_0", "temperature", 0.9},
		{"scalar not enabled for this label", map[string]any{"temperature": 0.2}, allowTemp, "fakeModel_1", "temperature", 0.1},
		{"scalar not in the list", map[string]any{"topP": 0.5}, allowTemp, "fakeModel_0", "topP", nil},
		{"string true becomes bool", map[string]any{"stop": "true"}, allowTemp, "fakeModel_0", "stop", true},
		{"array union", map[string]any{"stop": []any{"a", "b"}}, allowTemp, "fakeModel_0", "stop", []any{"a", "b"}},
		{"node-id-keyed object", map[string]any{"temperature": map[string]any{"fakeModel_0": 0.3}}, allowTemp, "fakeModel_0", "temperature", 0.3},
		{"node-id-keyed object for another node", map[string]any{"temperature": map[string]any{"fakeModel_1": 0.3}}, allowTemp, "fakeModel_0", "temperature", 0.9},
		{"object merges into object", map[string]any{"baseOptions": map[string]any{"y": 2.0}}, allowTemp, "fakeModel_0", "baseOptions", map[string]any{"x": 1.0, "y": 2.0}},
		{"object merges into a JSON string", map[string]any{"cfg": map[string]any{"k2": "v2"}}, allowTemp, "fakeModel_0", "cfg", map[string]any{"k": "v", "k2": "v2"}},
		// Flowise applies an object not keyed by node id without checking the allow-list; Floe checks it.
		{"unlisted object is dropped", map[string]any{"headers": map[string]any{"Authorization": "x"}}, allowTemp, "fakeModel_0", "headers", nil},
		{"unlisted object does not replace", map[string]any{"baseOptions": map[string]any{"evil": true}}, Permissions{Enabled: true}, "fakeModel_0", "baseOptions", map[string]any{"x": 1.0}},
		{"vars filtered", map[string]any{"vars": map[string]any{"color": "red", "secret": "stolen"}}, allowTemp, "fakeModel_0", "vars", map[string]any{"color": "red"}},
		{"sessionId is not an input", map[string]any{"sessionId": "s9"}, allowTemp, "fakeModel_0", "sessionId", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, rec := run(t, tc.overrides, tc.perms)
			got := rec.inputs[tc.node][tc.input]
			if diff := cmp.Diff(tc.want, normalize(got)); diff != "" {
				t.Errorf("%s.%s (-want +got):\n%s", tc.node, tc.input, diff)
			}
		})
	}
}

// normalize round-trips through JSON so ints and floats compare alike.
func normalize(v any) any {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func TestParseAPIConfig(t *testing.T) {
	c := ParseAPIConfig(`{"overrideConfig":{"status":true,"nodes":{"ChatOpenAI":[{"name":"temperature","enabled":true},{"name":"modelName","enabled":false}]},"variables":[{"name":"a","enabled":true},{"name":"b","enabled":false}]},"rateLimit":{"status":true,"limitMax":"5","limitDuration":"60","limitMsg":"slow down"}}`)
	want := APIConfig{
		Overrides: Permissions{Enabled: true, Nodes: map[string][]string{"ChatOpenAI": {"temperature"}}, Variables: []string{"a"}},
		RateLimit: RateLimit{Enabled: true, Max: 5, Window: 60, Message: "slow down"},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c := ParseAPIConfig(`not json`); c.Overrides.Enabled || c.RateLimit.Enabled {
		t.Errorf("malformed config enabled something: %+v", c)
	}
}

func TestUnrunnable(t *testing.T) {
	e, _ := newTestEngine(t)
	tests := []struct {
		name, flow, wantNode string
	}{
		{"unknown node type", `{"nodes":[{"id":"x_0","data":{"id":"x_0","name":"noSuchNode","category":"Chat Models","inputs":{}}},{"id":"fakeChain_0","data":{"id":"fakeChain_0","name":"fakeChain","category":"Chains","inputs":{"model":"{{x_0.data.instance}}"}}}],"edges":[{"source":"x_0","target":"fakeChain_0"}]}`, "x_0"},
		{"missing required input", `{"nodes":[{"id":"fakeModel_0","data":{"id":"fakeModel_0","name":"fakeModel","category":"Chat Models","inputs":{}}},{"id":"fakeChain_0","data":{"id":"fakeChain_0","name":"fakeChain","category":"Chains","inputs":{"model":""}}}],"edges":[{"source":"fakeModel_0","target":"fakeChain_0"}]}`, "fakeChain_0"},
		{"no ending node", `{"nodes":[{"id":"fakeModel_0","data":{"id":"fakeModel_0","name":"fakeModel","category":"Chat Models","inputs":{}}}],"edges":[]}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := flow.Parse([]byte(tc.flow))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Run(t.Context(), Request{Flow: f, Question: "q"})
			if !errors.Is(err, ErrUnrunnable) {
				t.Fatalf("got %v, want ErrUnrunnable", err)
			}
			var ne *NodeError
			if tc.wantNode != "" && (!errors.As(err, &ne) || ne.NodeID != tc.wantNode) {
				t.Errorf("got %v, want a NodeError naming %s", err, tc.wantNode)
			}
		})
	}
}
