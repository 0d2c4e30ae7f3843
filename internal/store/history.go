package store

import (
	"context"
	"fmt"
	"slices"
)

// Turn is one stored message as conversation memory needs it.
type Turn struct {
	Role    string // "userMessage" or "apiMessage"
	Content string
	// ChatID and FileUploads locate the turn's uploads (images replayed to
	// vision models); FileUploads is nil when it has none.
	ChatID      string
	FileUploads *string
}

// ChatHistory returns a session's messages of a chatflow, oldest first,
// reading only what memory needs (memory reads run on every prediction).
// limit > 0 keeps the newest limit messages. It is served by the
// (chatflowid, sessionId, createdDate) index.
func (db *DB) ChatHistory(ctx context.Context, chatflowID, sessionID string, limit int) ([]Turn, error) {
	q := `SELECT role, content, "chatId", "fileUploads" FROM chat_message WHERE chatflowid = ? AND "sessionId" = ? ORDER BY "createdDate" DESC, id DESC`
	q, args := db.limitOffset(q, []any{chatflowID, sessionID}, limit, 0)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading chat history: %w", err)
	}
	defer rows.Close()
	var out []Turn
	for rows.Next() {
		var t Turn
		if err := rows.Scan(&t.Role, &t.Content, &t.ChatID, &t.FileUploads); err != nil {
			return nil, fmt.Errorf("reading chat history: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading chat history: %w", err)
	}
	slices.Reverse(out)
	return out, nil
}
