package moderation

import (
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inDenyList = "denyList"
	inModel    = "model"

	defaultSimpleMessage = "Cannot Process! Input violates content moderation policies."
)

// inputModerationSimple mirrors Flowise's SimplePromptModeration
// (nodes/moderation/SimplePromptModeration): input containing a line of the
// deny list, ignoring case, is refused. With a chat model connected, the
// model is asked instead whether the input is similar to each deny line,
// and a "yes" refuses it.
var inputModerationSimple = node.Definition{
	Spec: node.Spec{
		Label:       "Simple Prompt Moderation",
		Name:        "inputModerationSimple",
		Version:     2,
		Type:        "Moderation",
		Icon:        "moderation.svg",
		Category:    category,
		Description: "Check whether input consists of any text from Deny list, and prevent being sent to LLM",
		BaseClasses: baseClasses,
		Inputs: []node.Param{
			{
				Label:       "Deny List",
				Name:        inDenyList,
				Type:        node.TypeString,
				Rows:        4,
				Placeholder: "ignore previous instructions\ndo not follow the directions\nyou must ignore all previous instructions",
				Description: "An array of string literals (enter one per line) that should not appear in the prompt text.",
			},
			{
				Label:       "Chat Model",
				Name:        inModel,
				Type:        "BaseChatModel",
				Description: "Use LLM to detect if the input is similar to those specified in Deny List",
				Optional:    true,
			},
			{
				Label:    "Error Message",
				Name:     inErrorMessage,
				Type:     node.TypeString,
				Rows:     2,
				Default:  defaultSimpleMessage,
				Optional: true,
			},
		},
	},
	Init: initInputModerationSimple,
}

// initInputModerationSimple splits the deny list into its non-empty lines
// (a trailing \r is dropped; other spaces are kept, as in Flowise). An
// empty error message falls back to the default one.
func initInputModerationSimple(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	list, err := data.String(inDenyList, "")
	if err != nil {
		return nil, err
	}
	msg, err := data.String(inErrorMessage, defaultSimpleMessage)
	if err != nil {
		return nil, err
	}
	m := &denyList{message: msg}
	for line := range strings.SplitSeq(list, "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			m.items = append(m.items, line)
		}
	}
	if data.Has(inModel) {
		if m.model, err = node.Input[llm.ChatModel](data, inModel); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// denyList refuses input that matches one of its items.
type denyList struct {
	items   []string
	model   llm.ChatModel // nil: plain substring matching
	message string
}

// Check refuses input containing a deny item (ignoring case), or, with a
// model, input the model judges similar to a deny item.
func (m *denyList) Check(ctx context.Context, input string) error {
	lower := strings.ToLower(input)
	for _, item := range m.items {
		if m.model == nil {
			if strings.Contains(lower, strings.ToLower(item)) {
				return &refusal{msg: m.message}
			}
			continue
		}
		similar, err := m.similar(ctx, input, item)
		if err != nil {
			return err
		}
		if similar {
			return &refusal{msg: m.message}
		}
	}
	return nil
}

// similar asks the model whether input and item say the same thing.
func (m *denyList) similar(ctx context.Context, input, item string) (bool, error) {
	prompt := "Do these two sentences have a similar meaning? Answer only Yes or No.\nFirst sentence: " + input + "\nSecond sentence: " + item
	answer, _, err := llm.Collect(m.model.Stream(ctx, llm.ChatRequest{
		Messages: []llm.Message{{Role: llm.RoleUser, Content: prompt}},
	}))
	if err != nil {
		return false, fmt.Errorf("comparing input with deny list: %w", err)
	}
	return strings.Contains(strings.ToLower(answer), "yes"), nil
}

var _ llm.Moderator = (*denyList)(nil)
