package memory

import (
	"context"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// conversationSummaryMemory mirrors Flowise's ConversationSummaryMemory
// (nodes/memory/ConversationSummaryMemory): the session's stored history,
// summarised by a chat model into one system message.
//
// Flowise summarises only the last two messages on each call; Floe
// summarises the whole history, progressively: the summary is cached per
// session with the number of messages it covers, so an unchanged history
// costs no model call and a grown one only folds in the new messages.
var conversationSummaryMemory = node.Definition{
	Spec: node.Spec{
		Label:       "Conversation Summary Memory",
		Name:        "conversationSummaryMemory",
		Version:     2,
		Type:        "ConversationSummaryMemory",
		Icon:        "memory.svg",
		Category:    "Memory",
		Description: "Summarizes the conversation and stores the current summary in memory",
		BaseClasses: []string{"ConversationSummaryMemory", "BaseConversationSummaryMemory", "BaseChatMemory", "BaseMemory"},
		Inputs: []node.Param{
			chatModelParam,
			sessionIDParam(docsMemory),
			memoryKeyParam,
		},
	},
	Init: initConversationSummaryMemory,
}

func initConversationSummaryMemory(_ context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	model, err := node.Input[llm.ChatModel](data, inModel)
	if err != nil {
		return nil, err
	}
	key, err := memoryKey(data)
	if err != nil {
		return nil, err
	}
	return &summaryMemory{stored: newStoredHistory(rt, key, 0), model: model}, nil
}

// summaryMemory returns one system message summarising the stored history.
// Append and Clear do nothing, as for [storedHistory]. It is safe for
// concurrent use.
type summaryMemory struct {
	stored *storedHistory
	model  llm.ChatModel
	cache  summaryCache
}

// Messages returns the summary of the session's history as one system
// message, or nothing when the history is empty.
func (m *summaryMemory) Messages(ctx context.Context, sessionID string) ([]llm.Message, error) {
	msgs, err := m.stored.Messages(ctx, sessionID)
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	summary, err := m.cache.summaryOf(ctx, m.model, sessionID, msgs, len(msgs))
	if err != nil {
		return nil, err
	}
	return []llm.Message{{Role: llm.RoleSystem, Content: summary}}, nil
}

// Append does nothing: the server stores every turn itself.
func (m *summaryMemory) Append(context.Context, string, ...llm.Message) error { return nil }

// Clear does nothing: the chat message API deletes the rows.
func (m *summaryMemory) Clear(context.Context, string) error { return nil }

// MemoryKey returns the node's memoryKey input.
func (m *summaryMemory) MemoryKey() string { return m.stored.key }

var _ llm.Memory = (*summaryMemory)(nil)
