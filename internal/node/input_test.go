package node

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
)

type fakeModel struct{ name string }

func (fakeModel) Stream(context.Context, llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	return func(func(llm.Chunk, error) bool) {}
}

var _ llm.ChatModel = fakeModel{}

func TestInput(t *testing.T) {
	m := fakeModel{name: "m"}
	d := &Data{ID: "llmChain_0", Inputs: map[string]any{"model": m, "memory": "", "prompt": 42}}
	tests := []struct {
		name, input string
		want        llm.ChatModel
		wantErr     string
		wantIs      error
	}{
		{name: "connected", input: "model", want: m},
		{name: "empty string is missing", input: "memory", wantErr: `input "memory" of node "llmChain_0": nothing connected`, wantIs: ErrMissingInput},
		{name: "absent", input: "cache", wantErr: `input "cache" of node "llmChain_0": nothing connected`, wantIs: ErrMissingInput},
		{name: "wrong type", input: "prompt", wantErr: `input "prompt" of node "llmChain_0": got int, want llm.ChatModel`, wantIs: ErrInvalidInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Input[llm.ChatModel](d, tc.input)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				if !errors.Is(err, tc.wantIs) {
					t.Errorf("errors.Is(%v, %v) = false, want true", err, tc.wantIs)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestInputList(t *testing.T) {
	a, b := fakeModel{name: "a"}, fakeModel{name: "b"}
	d := &Data{ID: "agent_0", Inputs: map[string]any{
		"list":   []any{a, nil, "", b},
		"single": a,
		"bad":    []any{a, "x"},
		"empty":  "",
	}}
	tests := []struct {
		name, input string
		want        []llm.ChatModel
		wantErr     string
	}{
		{name: "list skips blanks", input: "list", want: []llm.ChatModel{a, b}},
		{name: "single value", input: "single", want: []llm.ChatModel{a}},
		{name: "absent is nil", input: "nope"},
		{name: "empty is nil", input: "empty"},
		{name: "wrong item type", input: "bad", wantErr: `input "bad" of node "agent_0": got string, want llm.ChatModel`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := InputList[llm.ChatModel](d, tc.input)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(fakeModel{})); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRuntimeDefaults(t *testing.T) {
	var rt *Runtime
	if rt.Log() == nil || rt.Client() == nil {
		t.Errorf("nil Runtime: Log or Client returned nil")
	}
}

func TestEmitterFunc(t *testing.T) {
	var got []Event
	e := EmitterFunc(func(ev Event) error { got = append(got, ev); return nil })
	want := []Event{{Kind: EventStart, Data: ""}, {Kind: EventToken, Data: "hi"}}
	for _, ev := range want {
		if err := e.Emit(ev); err != nil {
			t.Fatalf("Emit: %v", err)
		}
	}
	if err := Discard.Emit(Event{Kind: EventEnd}); err != nil {
		t.Errorf("Discard.Emit = %v, want nil", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
