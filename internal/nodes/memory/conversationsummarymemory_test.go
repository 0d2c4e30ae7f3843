package memory

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const summaryNode = `{"id":"conversationSummaryMemory_0","name":"conversationSummaryMemory","inputs":{"model":"","sessionId":"","memoryKey":"chat_history"}}`

func newSummaryMemory(t *testing.T, model llm.ChatModel, hist llm.HistoryReader) llm.Memory {
	t.Helper()
	d := dataFrom(t, summaryNode, map[string]any{"model": model})
	inst, err := conversationSummaryMemory.Init(t.Context(), d, &node.Runtime{ChatflowID: "flow1", History: hist})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	mem, ok := inst.(llm.Memory)
	if !ok {
		t.Fatalf("Init returned %T, want llm.Memory", inst)
	}
	return mem
}

func TestConversationSummaryMemoryInit(t *testing.T) {
	tests := []struct {
		name  string
		model any
		want  error
	}{
		{name: "no model", model: "", want: node.ErrMissingInput},
		{name: "not a chat model", model: 42, want: node.ErrInvalidInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dataFrom(t, summaryNode, map[string]any{"model": tc.model})
			_, err := conversationSummaryMemory.Init(t.Context(), d, &node.Runtime{})
			if !errors.Is(err, tc.want) {
				t.Errorf("Init error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestConversationSummaryMemory(t *testing.T) {
	hist := &fakeHistory{}
	model := &fakeModel{replies: []string{" Summary one. ", "Summary two.", "Other session."}}
	mem := newSummaryMemory(t, model, hist)

	steps := []struct {
		name       string
		session    string
		add        []llm.Message // appended to the stored history first
		want       []llm.Message
		wantCalls  int      // total model calls so far
		promptHas  []string // in the newest prompt
		promptLack []string
	}{
		{name: "empty history", session: "s1", wantCalls: 0},
		{
			name: "first summary", session: "s1", add: []llm.Message{user("I am Ann"), ai("Hi Ann")},
			want: []llm.Message{sys("Summary one.")}, wantCalls: 1,
			promptHas: []string{"Human: I am Ann\nAI: Hi Ann"},
		},
		{name: "unchanged history is cached", session: "s1", want: []llm.Message{sys("Summary one.")}, wantCalls: 1},
		{
			name: "new turns fold into the summary", session: "s1", add: []llm.Message{user("I like tea"), ai("Noted")},
			want: []llm.Message{sys("Summary two.")}, wantCalls: 2,
			promptHas:  []string{"Summary one.", "Human: I like tea\nAI: Noted"},
			promptLack: []string{"I am Ann"},
		},
		{name: "still cached", session: "s1", want: []llm.Message{sys("Summary two.")}, wantCalls: 2},
		{
			name: "sessions are separate", session: "s2", add: []llm.Message{user("Bob here")},
			want: []llm.Message{sys("Other session.")}, wantCalls: 3,
			promptLack: []string{"Summary two.", "Ann"},
		},
	}
	for _, st := range steps {
		hist.add("flow1", st.session, st.add...)
		got, err := mem.Messages(t.Context(), st.session)
		if err != nil {
			t.Fatalf("%s: Messages: %v", st.name, err)
		}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("%s: messages (-want +got):\n%s", st.name, diff)
		}
		if n := model.calls(); n != st.wantCalls {
			t.Errorf("%s: model calls = %d, want %d", st.name, n, st.wantCalls)
		}
		p := model.lastPrompt()
		for _, s := range st.promptHas {
			if !strings.Contains(p, s) {
				t.Errorf("%s: prompt lacks %q:\n%s", st.name, s, p)
			}
		}
		for _, s := range st.promptLack {
			if strings.Contains(p, s) {
				t.Errorf("%s: prompt has %q:\n%s", st.name, s, p)
			}
		}
	}
}

func TestConversationSummaryMemoryErrors(t *testing.T) {
	tests := []struct {
		name  string
		model *fakeModel
		hist  *fakeHistory
	}{
		{name: "model fails", model: &fakeModel{err: errFake}, hist: &fakeHistory{}},
		{name: "history fails", model: &fakeModel{replies: []string{"s"}}, hist: &fakeHistory{err: errFake}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.hist.add("flow1", "s1", user("hi"))
			mem := newSummaryMemory(t, tc.model, tc.hist)
			if _, err := mem.Messages(t.Context(), "s1"); !errors.Is(err, errFake) {
				t.Errorf("Messages error = %v, want one wrapping %v", err, errFake)
			}
		})
	}
	t.Run("empty summary", func(t *testing.T) {
		hist := &fakeHistory{}
		hist.add("flow1", "s1", user("hi"))
		mem := newSummaryMemory(t, &fakeModel{replies: []string{"  "}}, hist)
		if _, err := mem.Messages(t.Context(), "s1"); err == nil {
			t.Error("Messages with an empty summary: got no error")
		}
	})
}
