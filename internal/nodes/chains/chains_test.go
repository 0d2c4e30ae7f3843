package chains

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// scripted is a ChatModel that answers from a list and records requests.
type scripted struct {
	answers []string
	got     [][]llm.Message
}

func (s *scripted) Stream(ctx context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	s.got = append(s.got, req.Messages)
	answer := "ok"
	if len(s.answers) > 0 {
		answer, s.answers = s.answers[0], s.answers[1:]
	}
	return func(yield func(llm.Chunk, error) bool) {
		for i, w := range strings.SplitAfter(answer, " ") {
			c := llm.Chunk{Content: w}
			if i == 0 {
				c.Usage = &llm.Usage{InputTokens: 3, OutputTokens: 2, TotalTokens: 5}
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

type memory struct {
	stored   []llm.Message
	appended []llm.Message
}

func (m *memory) Messages(context.Context, string) ([]llm.Message, error) { return m.stored, nil }
func (m *memory) Append(_ context.Context, _ string, msgs ...llm.Message) error {
	m.appended = append(m.appended, msgs...)
	return nil
}
func (m *memory) Clear(context.Context, string) error { return nil }

type denier struct{}

func (denier) Check(_ context.Context, in string) error {
	if strings.Contains(in, "bad") {
		return fmt.Errorf("Cannot Process! Input violates content moderation policies.: %w", llm.ErrModerated)
	}
	return nil
}

type intParser struct{}

func (intParser) FormatInstructions() string { return "Answer with an integer." }
func (intParser) AutoFix() bool              { return true }
func (intParser) Parse(text string) (any, error) {
	var n int
	if _, err := fmt.Sscanf(strings.TrimSpace(text), "%d", &n); err != nil {
		return nil, errors.New("not an integer")
	}
	return map[string]any{"n": n}, nil
}

func collect(t *testing.T) (node.Emitter, *[]string) {
	var toks []string
	return node.EmitterFunc(func(e node.Event) error {
		if e.Kind == node.EventToken {
			toks = append(toks, e.Data.(string))
		}
		return nil
	}), &toks
}

func TestConversationChain(t *testing.T) {
	model := &scripted{answers: []string{"hello there friend"}}
	mem := &memory{stored: []llm.Message{{Role: llm.RoleUser, Content: "earlier"}, {Role: llm.RoleAssistant, Content: "reply"}}}
	data := &node.Data{ID: "conversationChain_0", Name: "conversationChain", Inputs: map[string]any{
		inModel: model, inMemory: mem, inSystemMessage: "Be brief.", inInputModeration: []any{denier{}},
	}}
	inst, err := initConversationChain(t.Context(), data, &node.Runtime{})
	if err != nil {
		t.Fatal(err)
	}
	emit, toks := collect(t)
	out, err := inst.(node.Runner).Run(t.Context(), node.RunInput{Question: "hi", SessionID: "s", History: []llm.Message{{Role: llm.RoleAssistant, Content: "prepended"}}}, emit)
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Message{
		{Role: llm.RoleSystem, Content: "Be brief."},
		{Role: llm.RoleAssistant, Content: "prepended"},
		{Role: llm.RoleUser, Content: "earlier"},
		{Role: llm.RoleAssistant, Content: "reply"},
		{Role: llm.RoleUser, Content: "hi"},
	}
	if diff := cmp.Diff(want, model.got[0]); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if out.Text != "hello there friend" || strings.Join(*toks, "") != out.Text || out.Usage == nil || out.Usage.TotalTokens != 5 {
		t.Errorf("got %+v tokens %q", out, *toks)
	}
	if diff := cmp.Diff([]llm.Message{{Role: llm.RoleUser, Content: "hi"}, {Role: llm.RoleAssistant, Content: "hello there friend"}}, mem.appended); diff != "" {
		t.Errorf("memory append (-want +got):\n%s", diff)
	}
	// Moderation refuses without calling the model.
	out, err = inst.(node.Runner).Run(t.Context(), node.RunInput{Question: "something bad"}, node.Discard)
	if err != nil || out.Text != "Cannot Process! Input violates content moderation policies." || len(model.got) != 1 {
		t.Errorf("moderated: got %+v, %v, %d model calls", out, err, len(model.got))
	}
}

func TestConversationChainWithChatPrompt(t *testing.T) {
	model := &scripted{}
	data := &node.Data{ID: "c", Name: "conversationChain", Inputs: map[string]any{
		inModel: model, inMemory: &memory{},
		inChatPromptTemplate: llm.Prompt{System: "You are {persona}.", Human: "Q: {input}", Values: map[string]string{"persona": "a pirate"}, Chat: true},
	}}
	inst, err := initConversationChain(t.Context(), data, &node.Runtime{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.(node.Runner).Run(t.Context(), node.RunInput{Question: "where?"}, node.Discard); err != nil {
		t.Fatal(err)
	}
	want := []llm.Message{{Role: llm.RoleSystem, Content: "You are a pirate."}, {Role: llm.RoleUser, Content: "Q: where?"}}
	if diff := cmp.Diff(want, model.got[0]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLLMChainPrompt(t *testing.T) {
	tests := []struct {
		name     string
		prompt   llm.Prompt
		parser   llm.OutputParser
		want     []llm.Message
		wantErr  string
		question string
	}{
		{"question fills the one free variable", llm.Prompt{Human: "Name a company that makes {product}."}, nil,
			[]llm.Message{{Role: llm.RoleUser, Content: "Name a company that makes socks."}}, "", "socks"},
		{"promptValues fill the rest", llm.Prompt{Human: "{a} and {b}", Values: map[string]string{"a": "x"}}, nil,
			[]llm.Message{{Role: llm.RoleUser, Content: "x and q"}}, "", "q"},
		{"all values given", llm.Prompt{Human: "{a}", Values: map[string]string{"a": "fixed"}}, nil,
			[]llm.Message{{Role: llm.RoleUser, Content: "fixed"}}, "", "ignored"},
		{"two free variables", llm.Prompt{Human: "{a} {b}"}, nil, nil, "a, b", "q"},
		{"format instructions go to the system message", llm.Prompt{System: "Sys.", Human: "{text}", Chat: true}, intParser{},
			[]llm.Message{{Role: llm.RoleSystem, Content: "Sys.\nAnswer with an integer."}, {Role: llm.RoleUser, Content: "q"}}, "", "q"},
		{"format instructions go to a plain template", llm.Prompt{Human: "{text}"}, intParser{},
			[]llm.Message{{Role: llm.RoleUser, Content: "q\nAnswer with an integer."}}, "", "q"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &chain{prompt: tc.prompt, parser: tc.parser}
			got, err := c.messages(tc.question)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("got %v, want an error naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLLMChainParserAutofix(t *testing.T) {
	model := &scripted{answers: []string{"about forty two", "42"}}
	c := &chain{model: model, prompt: llm.Prompt{Human: "{q}"}, parser: intParser{}}
	emit, toks := collect(t)
	out, err := c.Run(t.Context(), node.RunInput{Question: "how many?"}, emit)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"n": 42}, out.JSON); diff != "" || out.Text != "" {
		t.Errorf("json (-want +got):\n%s text %q", diff, out.Text)
	}
	if len(model.got) != 2 || !strings.Contains(model.got[1][0].Content, "not an integer") || len(*toks) != 0 {
		t.Errorf("autofix call: %d calls, second %v, %d tokens streamed", len(model.got), model.got, len(*toks))
	}
	if out.Usage == nil || out.Usage.TotalTokens != 10 {
		t.Errorf("usage of both calls: got %+v, want 10 tokens", out.Usage)
	}
}

func TestLLMChainOutputPrediction(t *testing.T) {
	model := &scripted{answers: []string{"Soxy Inc"}}
	data := &node.Data{ID: "llmChain_0", Name: "llmChain", Outputs: map[string]any{"output": outOutputPrediction},
		Inputs: map[string]any{inModel: model, inPrompt: llm.Prompt{Human: "Name for {p}"}}}
	inst, err := initLLMChain(t.Context(), data, &node.Runtime{Question: "socks"})
	if err != nil {
		t.Fatal(err)
	}
	if inst != "Soxy Inc" {
		t.Errorf("instance: got %v, want the prediction text", inst)
	}
	if got := model.got[0][0].Content; got != "Name for socks" {
		t.Errorf("prompt: got %q", got)
	}
}

func TestLLMChainNeedsAPrompt(t *testing.T) {
	data := &node.Data{ID: "llmChain_0", Name: "llmChain", Inputs: map[string]any{inModel: &scripted{}, inPrompt: "not a prompt"}}
	if _, err := initLLMChain(t.Context(), data, &node.Runtime{}); err == nil || !strings.Contains(err.Error(), "prompt") {
		t.Errorf("got %v, want an error about the prompt input", err)
	}
}
