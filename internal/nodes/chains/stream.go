package chains

import (
	"context"
	"errors"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// generate calls the model and forwards each text delta to emit as a token
// event. It returns the full text and the usage; on error (or cancellation)
// the text received so far comes back with the error.
func generate(ctx context.Context, model llm.ChatModel, msgs []llm.Message, emit node.Emitter) (string, *llm.Usage, error) {
	var text []byte
	var usage *llm.Usage
	for c, err := range model.Stream(ctx, llm.ChatRequest{Messages: msgs}) {
		if err != nil {
			return string(text), usage, err
		}
		usage = usage.Add(c.Usage)
		if c.Content == "" {
			continue
		}
		text = append(text, c.Content...)
		if emit != nil {
			if err := emit.Emit(node.Event{Kind: node.EventToken, Data: c.Content}); err != nil {
				return string(text), usage, err
			}
		}
	}
	return string(text), usage, nil
}

// moderate runs the moderators over input. A refusal comes back as the
// message to answer with (and ok false); other failures are errors.
func moderate(ctx context.Context, mods []llm.Moderator, input string) (refusal string, err error) {
	for _, m := range mods {
		if err := m.Check(ctx, input); err != nil {
			if errors.Is(err, llm.ErrModerated) {
				return moderationMessage(err), nil
			}
			return "", fmt.Errorf("moderating input: %w", err)
		}
	}
	return "", nil
}

// moderationMessage is the text of a refusal without the sentinel suffix.
func moderationMessage(err error) string {
	msg := err.Error()
	if suffix := ": " + llm.ErrModerated.Error(); len(msg) > len(suffix) && msg[len(msg)-len(suffix):] == suffix {
		return msg[:len(msg)-len(suffix)]
	}
	return msg
}

// asPrompt accepts a prompt node instance by value or pointer.
func asPrompt(v any) (llm.Prompt, bool) {
	switch p := v.(type) {
	case llm.Prompt:
		return p, true
	case *llm.Prompt:
		if p != nil {
			return *p, true
		}
	}
	return llm.Prompt{}, false
}

// moderators reads the optional inputModeration list.
func moderators(data *node.Data) ([]llm.Moderator, error) {
	if !data.Has("inputModeration") {
		return nil, nil
	}
	return node.InputList[llm.Moderator](data, "inputModeration")
}
