package memory

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"sync"
	"testing"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// dataFrom builds node data from a JSON snippet as Flowise saves it, then
// sets extra inputs (upstream instances) that JSON cannot hold.
func dataFrom(t *testing.T, snippet string, extra map[string]any) *node.Data {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(snippet), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	for k, v := range extra {
		if d.Inputs == nil {
			d.Inputs = map[string]any{}
		}
		d.Inputs[k] = v
	}
	return &d
}

// fakeHistory is an llm.HistoryReader over a map keyed by chatflow id and
// session id. It records the limit of the last call.
type fakeHistory struct {
	mu        sync.Mutex // guards the fields below
	turns     map[[2]string][]llm.Message
	lastLimit int
	calls     int
	err       error
}

func (f *fakeHistory) History(_ context.Context, chatflowID, sessionID string, limit int) ([]llm.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.lastLimit = limit
	if f.err != nil {
		return nil, f.err
	}
	msgs := f.turns[[2]string{chatflowID, sessionID}]
	if limit > 0 && len(msgs) > limit {
		msgs = msgs[len(msgs)-limit:]
	}
	return append([]llm.Message(nil), msgs...), nil
}

func (f *fakeHistory) add(chatflowID, sessionID string, msgs ...llm.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.turns == nil {
		f.turns = map[[2]string][]llm.Message{}
	}
	k := [2]string{chatflowID, sessionID}
	f.turns[k] = append(f.turns[k], msgs...)
}

// fakeModel is a scripted llm.ChatModel: each call returns the next reply
// (the last one repeats) and records the request's prompt text.
type fakeModel struct {
	mu      sync.Mutex // guards the fields below
	replies []string
	prompts []string
	err     error
}

func (f *fakeModel) Stream(_ context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	f.mu.Lock()
	defer f.mu.Unlock()
	var text string
	for _, m := range req.Messages {
		text += m.Content
	}
	f.prompts = append(f.prompts, text)
	reply, err := "", f.err
	if len(f.replies) > 0 {
		reply = f.replies[0]
		if len(f.replies) > 1 {
			f.replies = f.replies[1:]
		}
	}
	return func(yield func(llm.Chunk, error) bool) {
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		yield(llm.Chunk{Content: reply}, nil)
	}
}

func (f *fakeModel) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.prompts)
}

func (f *fakeModel) lastPrompt() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.prompts) == 0 {
		return ""
	}
	return f.prompts[len(f.prompts)-1]
}

var errFake = errors.New("fake failure")

func user(s string) llm.Message { return llm.Message{Role: llm.RoleUser, Content: s} }
func ai(s string) llm.Message   { return llm.Message{Role: llm.RoleAssistant, Content: s} }
func sys(s string) llm.Message  { return llm.Message{Role: llm.RoleSystem, Content: s} }

var _ llm.HistoryReader = (*fakeHistory)(nil)
var _ llm.ChatModel = (*fakeModel)(nil)
