package memory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestFirstFitting(t *testing.T) {
	// "Human: abcd" is 11 code units; with the joining newline each extra
	// line adds 12.
	four := []llm.Message{user("abcd"), user("abcd"), user("abcd"), user("abcd")}
	// Lengths of bufferString(four[i:]): 47 (12 tokens), 35 (9), 23 (6), 11 (3).
	tests := []struct {
		name  string
		msgs  []llm.Message
		limit int
		want  int
	}{
		{name: "everything fits", msgs: four, limit: 12, want: 0},
		{name: "drop one", msgs: four, limit: 11, want: 1},
		{name: "drop two", msgs: four, limit: 6, want: 2},
		{name: "keep last", msgs: four, limit: 3, want: 3},
		{name: "nothing fits", msgs: four, limit: 2, want: 4},
		{name: "zero limit", msgs: four, limit: 0, want: 4},
		{name: "surrogate pairs count twice", msgs: []llm.Message{user("😀😀")}, limit: 3, want: 0},                                      // "Human: " + 4 units = 11 → 3 tokens
		{name: "surrogate pairs over", msgs: []llm.Message{user("😀😀😀")}, limit: 3, want: 1},                                            // 13 units → 4 tokens
		{name: "role prefixes", msgs: []llm.Message{sys("ab"), ai("ab"), {Role: llm.RoleTool, Content: "ab"}}, limit: 7, want: 0},      // 10+1+6+1+8 = 26 → 7 tokens
		{name: "role prefixes over", msgs: []llm.Message{sys("ab"), ai("ab"), {Role: llm.RoleTool, Content: "ab"}}, limit: 6, want: 1}, // 15 → 4 tokens
		{name: "empty", limit: 5, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := firstFitting(tc.msgs, tc.limit); got != tc.want {
				t.Errorf("firstFitting(limit %d) = %d, want %d", tc.limit, got, tc.want)
			}
		})
	}
}

func TestConversationSummaryBufferMemory(t *testing.T) {
	hist := &fakeHistory{}
	model := &fakeModel{replies: []string{"Old part.", "Older part."}}
	d := dataFrom(t, `{"id":"conversationSummaryBufferMemory_0","name":"conversationSummaryBufferMemory","inputs":{"model":"","maxTokenLimit":"6","sessionId":"","memoryKey":"chat_history"}}`, map[string]any{"model": model})
	inst, err := conversationSummaryBufferMemory.Init(t.Context(), d, &node.Runtime{ChatflowID: "flow1", History: hist})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	mem := inst.(llm.Memory)

	// "Human: abcd" is 11 units and "AI: wxyz" 8: one exchange is 20 units,
	// 5 tokens; two exchanges are 41 units, 11 tokens.
	steps := []struct {
		name      string
		add       []llm.Message
		want      []llm.Message
		wantCalls int
		promptHas string
	}{
		{name: "within limit", add: []llm.Message{user("abcd"), ai("wxyz")}, want: []llm.Message{user("abcd"), ai("wxyz")}},
		{
			name: "oldest two summarised", add: []llm.Message{user("efgh"), ai("stuv")},
			want:      []llm.Message{sys("Old part."), user("efgh"), ai("stuv")},
			wantCalls: 1, promptHas: "Human: abcd\nAI: wxyz",
		},
		{name: "cached", want: []llm.Message{sys("Old part."), user("efgh"), ai("stuv")}, wantCalls: 1},
		{
			name: "more pruned messages fold in", add: []llm.Message{user("ijkl")},
			want:      []llm.Message{sys("Older part."), ai("stuv"), user("ijkl")},
			wantCalls: 2, promptHas: "Old part.",
		},
	}
	for _, st := range steps {
		hist.add("flow1", "s1", st.add...)
		got, err := mem.Messages(t.Context(), "s1")
		if err != nil {
			t.Fatalf("%s: Messages: %v", st.name, err)
		}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("%s: messages (-want +got):\n%s", st.name, diff)
		}
		if n := model.calls(); n != st.wantCalls {
			t.Errorf("%s: model calls = %d, want %d", st.name, n, st.wantCalls)
		}
		if st.promptHas != "" && !strings.Contains(model.lastPrompt(), st.promptHas) {
			t.Errorf("%s: prompt lacks %q:\n%s", st.name, st.promptHas, model.lastPrompt())
		}
	}
	if p := model.lastPrompt(); !strings.Contains(p, "Human: efgh") || strings.Contains(p, "abcd") {
		t.Errorf("incremental prompt should hold only the newly pruned message:\n%s", p)
	}
}

func TestConversationSummaryBufferMemoryInit(t *testing.T) {
	tests := []struct {
		name    string
		inputs  string
		want    int
		wantErr bool
	}{
		{name: "default", inputs: `{"maxTokenLimit":""}`, want: 2000},
		{name: "number", inputs: `{"maxTokenLimit":500}`, want: 500},
		{name: "string", inputs: `{"maxTokenLimit":"1200"}`, want: 1200},
		{name: "bad", inputs: `{"maxTokenLimit":"lots"}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dataFrom(t, `{"id":"m","inputs":`+tc.inputs+`}`, map[string]any{"model": &fakeModel{}})
			inst, err := conversationSummaryBufferMemory.Init(t.Context(), d, &node.Runtime{})
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init = %v, want an error", inst)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			if got := inst.(*summaryBufferMemory).maxTokens; got != tc.want {
				t.Errorf("maxTokens = %d, want %d", got, tc.want)
			}
		})
	}
}
