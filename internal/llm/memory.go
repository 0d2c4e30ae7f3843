package llm

import "context"

// Memory is a conversation memory keyed by session id: Flowise's memory
// nodes (Buffer Memory, Redis-Backed Chat Memory, ...).
//
// Messages returns the session's history, oldest first, already cut to the
// memory's window or summarised as the memory does (a summary comes first as
// a system message). Append records turns of the session; memories backed by
// the chat_message table ignore it, because the server stores every turn
// itself. Clear forgets the session. Implementations are safe for
// concurrent use.
type Memory interface {
	Messages(ctx context.Context, sessionID string) ([]Message, error)
	Append(ctx context.Context, sessionID string, msgs ...Message) error
	Clear(ctx context.Context, sessionID string) error
}

// HistoryReader reads the stored turns of a chatflow's session from the
// chat_message table, oldest first. limit > 0 keeps only the newest limit
// messages. The server implements it; memory nodes receive it through their
// runtime.
type HistoryReader interface {
	History(ctx context.Context, chatflowID, sessionID string, limit int) ([]Message, error)
}
