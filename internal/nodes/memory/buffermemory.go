package memory

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// bufferMemory mirrors Flowise's BufferMemory (nodes/memory/BufferMemory):
// the session's whole history, read from the chat_message table.
var bufferMemory = node.Definition{
	Spec: node.Spec{
		Label:       "Buffer Memory",
		Name:        "bufferMemory",
		Version:     2,
		Type:        "BufferMemory",
		Icon:        "memory.svg",
		Category:    "Memory",
		Description: "Retrieve chat messages stored in database",
		BaseClasses: []string{"BufferMemory", "BaseChatMemory", "BaseMemory"},
		Inputs: []node.Param{
			sessionIDParam(docsMemory),
			memoryKeyParam,
		},
	},
	Init: initBufferMemory,
}

func initBufferMemory(_ context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	key, err := memoryKey(data)
	if err != nil {
		return nil, err
	}
	return newStoredHistory(rt, key, 0), nil
}

// storedHistory is a memory over the chat_message table, which the server
// writes after every prediction: Append and Clear do nothing (the message
// API deletes rows). It is safe for concurrent use.
type storedHistory struct {
	reader     llm.HistoryReader // nil outside a server: no history
	chatflowID string
	key        string
	// limit > 0 keeps the newest limit messages; limit < 0 keeps none.
	limit int
}

func newStoredHistory(rt *node.Runtime, key string, limit int) *storedHistory {
	h := &storedHistory{key: key, limit: limit}
	if rt != nil {
		h.reader, h.chatflowID = rt.History, rt.ChatflowID
	}
	return h
}

// Messages returns the session's stored turns, oldest first, cut to the
// window. An empty session id, or no history reader, gives no messages.
func (h *storedHistory) Messages(ctx context.Context, sessionID string) ([]llm.Message, error) {
	if sessionID == "" || h.reader == nil || h.limit < 0 {
		return nil, nil
	}
	msgs, err := h.reader.History(ctx, h.chatflowID, sessionID, h.limit)
	if err != nil {
		return nil, fmt.Errorf("reading chat history of session %q: %w", sessionID, err)
	}
	return msgs, nil
}

// Append does nothing: the server stores every turn itself.
func (h *storedHistory) Append(context.Context, string, ...llm.Message) error { return nil }

// Clear does nothing: the chat message API deletes the rows.
func (h *storedHistory) Clear(context.Context, string) error { return nil }

// MemoryKey returns the node's memoryKey input.
func (h *storedHistory) MemoryKey() string { return h.key }

var _ llm.Memory = (*storedHistory)(nil)
