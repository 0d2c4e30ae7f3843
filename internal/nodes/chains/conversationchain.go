package chains

import (
	"context"
	"fmt"
	"maps"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inModel              = "model"
	inMemory             = "memory"
	inChatPromptTemplate = "chatPromptTemplate"
	inInputModeration    = "inputModeration"
	inSystemMessage      = "systemMessagePrompt"
)

const defaultConversationSystem = "The following is a friendly conversation between a human and an AI. The AI is talkative and provides lots of specific details from its context. If the AI does not know the answer to a question, it truthfully says it does not know."

var conversationChain = node.Definition{
	Spec: node.Spec{
		Label:       "Conversation Chain",
		Name:        "conversationChain",
		Version:     3,
		Type:        "ConversationChain",
		Icon:        "conv.svg",
		Category:    "Chains",
		Description: "Chat models specific conversational chain with memory",
		BaseClasses: []string{"ConversationChain", "LLMChain", "BaseChain", "Runnable"},
		Inputs: []node.Param{
			{Label: "Chat Model", Name: inModel, Type: "BaseChatModel"},
			{Label: "Memory", Name: inMemory, Type: "BaseMemory"},
			{Label: "Chat Prompt Template", Name: inChatPromptTemplate, Type: "ChatPromptTemplate", Optional: true,
				Description: "Override existing prompt with Chat Prompt Template. Human Message must includes {input} variable"},
			{Label: "Input Moderation", Name: inInputModeration, Type: "Moderation", Optional: true, List: true,
				Description: "Detect text that could generate harmful output and prevent it from being sent to the language model"},
			{Label: "System Message", Name: inSystemMessage, Type: "string", Rows: 4, AdditionalParams: true, Optional: true,
				Default: defaultConversationSystem, Placeholder: defaultConversationSystem,
				Description: "If Chat Prompt Template is provided, this will be ignored"},
		},
	},
	Init: initConversationChain,
}

// convChain answers with the system message, the session's history and
// the question, and streams the answer.
type convChain struct {
	model  llm.ChatModel
	memory llm.Memory
	system string
	human  string // template with {input}; "{input}" by default
	values map[string]string
	mods   []llm.Moderator
}

func initConversationChain(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	model, err := node.Input[llm.ChatModel](data, inModel)
	if err != nil {
		return nil, err
	}
	mem, err := node.Input[llm.Memory](data, inMemory)
	if err != nil {
		return nil, err
	}
	mods, err := moderators(data)
	if err != nil {
		return nil, err
	}
	c := &convChain{model: model, memory: mem, human: "{input}", values: map[string]string{}, mods: mods}
	if c.system, err = data.String(inSystemMessage, defaultConversationSystem); err != nil {
		return nil, err
	}
	if v, ok := data.Raw(inChatPromptTemplate); ok && v != "" {
		p, ok := asPrompt(v)
		if !ok {
			return nil, fmt.Errorf("input %q: want a chat prompt template, got %T", inChatPromptTemplate, v)
		}
		c.system, c.human = p.System, p.Human
		maps.Copy(c.values, p.Values)
	}
	return c, nil
}

// Run answers one turn.
func (c *convChain) Run(ctx context.Context, in node.RunInput, emit node.Emitter) (node.RunOutput, error) {
	if refusal, err := moderate(ctx, c.mods, in.Question); err != nil || refusal != "" {
		if err == nil {
			_ = emit.Emit(node.Event{Kind: node.EventToken, Data: refusal})
		}
		return node.RunOutput{Text: refusal}, err
	}
	vals := maps.Clone(c.values)
	vals["input"] = in.Question
	system, err := llm.FormatFString(c.system, vals)
	if err != nil {
		return node.RunOutput{}, fmt.Errorf("system message: %w", err)
	}
	human, err := llm.FormatFString(c.human, vals)
	if err != nil {
		return node.RunOutput{}, fmt.Errorf("human message: %w", err)
	}
	stored, err := c.memory.Messages(ctx, in.SessionID)
	if err != nil {
		return node.RunOutput{}, fmt.Errorf("reading memory: %w", err)
	}
	msgs := make([]llm.Message, 0, len(in.History)+len(stored)+2)
	if system != "" {
		msgs = append(msgs, llm.Message{Role: llm.RoleSystem, Content: system})
	}
	msgs = append(msgs, in.History...)
	msgs = append(msgs, stored...)
	msgs = append(msgs, llm.Message{Role: llm.RoleUser, Content: human, Images: in.Images})
	text, usage, err := generate(ctx, c.model, msgs, emit)
	out := node.RunOutput{Text: text, Usage: usage}
	if err != nil {
		return out, err
	}
	if err := c.memory.Append(ctx, in.SessionID, llm.Message{Role: llm.RoleUser, Content: in.Question}, llm.Message{Role: llm.RoleAssistant, Content: text}); err != nil {
		return out, fmt.Errorf("saving to memory: %w", err)
	}
	return out, nil
}

var _ node.Runner = (*convChain)(nil)
