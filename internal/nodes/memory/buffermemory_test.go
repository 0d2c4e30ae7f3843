package memory

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid spec
	for _, name := range []string{"bufferMemory", "bufferWindowMemory", "conversationSummaryMemory", "conversationSummaryBufferMemory", "RedisBackedChatMemory"} {
		def, err := r.Lookup(name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", name, err)
			continue
		}
		if def.Spec.Category != "Memory" {
			t.Errorf("%s category = %q, want Memory", name, def.Spec.Category)
		}
	}
}

// sixTurns is a stored conversation of three exchanges.
var sixTurns = []llm.Message{user("q1"), ai("a1"), user("q2"), ai("a2"), user("q3"), ai("a3")}

func TestBufferMemory(t *testing.T) {
	hist := &fakeHistory{}
	hist.add("flow1", "s1", sixTurns...)
	hist.add("flow1", "s2", user("other"))
	hist.add("flow2", "s1", user("other flow"))
	tests := []struct {
		name    string
		rt      *node.Runtime
		session string
		want    []llm.Message
		wantErr bool
	}{
		{name: "whole history", rt: &node.Runtime{ChatflowID: "flow1", History: hist}, session: "s1", want: sixTurns},
		{name: "other session", rt: &node.Runtime{ChatflowID: "flow1", History: hist}, session: "s2", want: []llm.Message{user("other")}},
		{name: "other chatflow", rt: &node.Runtime{ChatflowID: "flow2", History: hist}, session: "s1", want: []llm.Message{user("other flow")}},
		{name: "unknown session", rt: &node.Runtime{ChatflowID: "flow1", History: hist}, session: "nope"},
		{name: "empty session id", rt: &node.Runtime{ChatflowID: "flow1", History: hist}, session: ""},
		{name: "no history reader", rt: &node.Runtime{ChatflowID: "flow1"}, session: "s1"},
		{name: "reader error", rt: &node.Runtime{ChatflowID: "flow1", History: &fakeHistory{err: errFake}}, session: "s1", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dataFrom(t, `{"id":"bufferMemory_0","name":"bufferMemory","inputs":{"sessionId":"","memoryKey":"chat_history"}}`, nil)
			inst, err := bufferMemory.Init(t.Context(), d, tc.rt)
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			mem, ok := inst.(llm.Memory)
			if !ok {
				t.Fatalf("Init returned %T, want llm.Memory", inst)
			}
			got, err := mem.Messages(t.Context(), tc.session)
			if tc.wantErr {
				if !errors.Is(err, errFake) {
					t.Errorf("Messages error = %v, want one wrapping %v", err, errFake)
				}
				return
			}
			if err != nil {
				t.Fatalf("Messages: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if err := mem.Append(t.Context(), tc.session, user("x")); err != nil {
				t.Errorf("Append: %v", err)
			}
			if err := mem.Clear(t.Context(), tc.session); err != nil {
				t.Errorf("Clear: %v", err)
			}
		})
	}
	// Append and Clear left the stored history alone.
	if got, _ := hist.History(t.Context(), "flow1", "s1", 0); !cmp.Equal(got, sixTurns) {
		t.Errorf("history after Append/Clear = %v, want it unchanged", got)
	}
}

func TestBufferWindowMemory(t *testing.T) {
	hist := &fakeHistory{}
	hist.add("flow1", "s1", sixTurns...)
	tests := []struct {
		name    string
		inputs  string
		want    []llm.Message
		key     string
		wantErr bool
	}{
		{name: "k=1 is one exchange", inputs: `{"k":"1"}`, want: sixTurns[4:], key: "chat_history"},
		{name: "k=2 is two exchanges", inputs: `{"k":2,"memoryKey":"history"}`, want: sixTurns[2:], key: "history"},
		{name: "k larger than history", inputs: `{"k":"10"}`, want: sixTurns, key: "chat_history"},
		{name: "k absent is 4", inputs: `{"k":""}`, want: sixTurns, key: "chat_history"},
		{name: "k=0 is none", inputs: `{"k":"0"}`, key: "chat_history"},
		{name: "k negative is none", inputs: `{"k":"-3"}`, key: "chat_history"},
		{name: "k not a number", inputs: `{"k":"four"}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dataFrom(t, `{"id":"bufferWindowMemory_0","name":"bufferWindowMemory","inputs":`+tc.inputs+`}`, nil)
			inst, err := bufferWindowMemory.Init(t.Context(), d, &node.Runtime{ChatflowID: "flow1", History: hist})
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init = %v, want an error", inst)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			mem := inst.(llm.Memory)
			got, err := mem.Messages(t.Context(), "s1")
			if err != nil {
				t.Fatalf("Messages: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if k := inst.(interface{ MemoryKey() string }).MemoryKey(); k != tc.key {
				t.Errorf("MemoryKey() = %q, want %q", k, tc.key)
			}
		})
	}
}
