package memory

import (
	"context"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inMaxTokenLimit = "maxTokenLimit"

// conversationSummaryBufferMemory mirrors Flowise's
// ConversationSummaryBufferMemory
// (nodes/memory/ConversationSummaryBufferMemory): the newest stored
// messages that fit in maxTokenLimit tokens, preceded by a system message
// summarising the older ones.
//
// Tokens are estimated as LangChain does for a model without a tokenizer:
// the messages are rendered as "Human: ..."/"AI: ..." lines joined by
// newlines, and every four UTF-16 code units count as one token, rounded
// up. (Flowise counts exact tiktoken tokens for OpenAI models, so the
// window can differ slightly from Flowise's for them.) The oldest messages
// are dropped until the rest fit; the summary itself is not counted, as in
// Flowise.
var conversationSummaryBufferMemory = node.Definition{
	Spec: node.Spec{
		Label:       "Conversation Summary Buffer Memory",
		Name:        "conversationSummaryBufferMemory",
		Version:     1,
		Type:        "ConversationSummaryBufferMemory",
		Icon:        "memory.svg",
		Category:    "Memory",
		Description: "Uses token length to decide when to summarize conversations",
		BaseClasses: []string{"ConversationSummaryBufferMemory", "BaseConversationSummaryMemory", "BaseChatMemory", "BaseMemory"},
		Inputs: []node.Param{
			chatModelParam,
			{
				Label:       "Max Token Limit",
				Name:        inMaxTokenLimit,
				Type:        node.TypeNumber,
				Default:     2000,
				Description: "Summarize conversations once token limit is reached. Default to 2000",
			},
			sessionIDParam(docsMemory),
			memoryKeyParam,
		},
	},
	Init: initConversationSummaryBufferMemory,
}

func initConversationSummaryBufferMemory(_ context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	model, err := node.Input[llm.ChatModel](data, inModel)
	if err != nil {
		return nil, err
	}
	limit, err := data.Int(inMaxTokenLimit, 2000)
	if err != nil {
		return nil, err
	}
	key, err := memoryKey(data)
	if err != nil {
		return nil, err
	}
	return &summaryBufferMemory{stored: newStoredHistory(rt, key, 0), model: model, maxTokens: limit}, nil
}

// summaryBufferMemory keeps the newest messages within a token budget and
// summarises the rest. Append and Clear do nothing, as for
// [storedHistory]. It is safe for concurrent use.
type summaryBufferMemory struct {
	stored    *storedHistory
	model     llm.ChatModel
	maxTokens int
	cache     summaryCache
}

// Messages returns the session's newest messages that fit the token limit,
// after a system message summarising the older ones when there are any.
// The summary is cached per session with the number of messages it covers.
func (m *summaryBufferMemory) Messages(ctx context.Context, sessionID string) ([]llm.Message, error) {
	msgs, err := m.stored.Messages(ctx, sessionID)
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	start := firstFitting(msgs, m.maxTokens)
	if start == 0 {
		return msgs, nil
	}
	summary, err := m.cache.summaryOf(ctx, m.model, sessionID, msgs, start)
	if err != nil {
		return nil, err
	}
	out := make([]llm.Message, 0, 1+len(msgs)-start)
	out = append(out, llm.Message{Role: llm.RoleSystem, Content: summary})
	return append(out, msgs[start:]...), nil
}

// firstFitting returns the smallest i such that msgs[i:], rendered as a
// buffer string, is estimated at no more than limit tokens (len(msgs) when
// none fits).
func firstFitting(msgs []llm.Message, limit int) int {
	// length is the UTF-16 length of bufferString(msgs[i:]) for the
	// current i, starting with the whole list.
	length := 0
	for i, m := range msgs {
		if i > 0 {
			length++ // the joining newline
		}
		length += textLength(rolePrefix(m.Role)) + 2 + textLength(m.Content)
	}
	for i, m := range msgs {
		if approxTokens(length) <= limit {
			return i
		}
		length -= textLength(rolePrefix(m.Role)) + 2 + textLength(m.Content)
		if i < len(msgs)-1 {
			length-- // the newline after it
		}
	}
	return len(msgs)
}

// Append does nothing: the server stores every turn itself.
func (m *summaryBufferMemory) Append(context.Context, string, ...llm.Message) error { return nil }

// Clear does nothing: the chat message API deletes the rows.
func (m *summaryBufferMemory) Clear(context.Context, string) error { return nil }

// MemoryKey returns the node's memoryKey input.
func (m *summaryBufferMemory) MemoryKey() string { return m.stored.key }

var _ llm.Memory = (*summaryBufferMemory)(nil)
