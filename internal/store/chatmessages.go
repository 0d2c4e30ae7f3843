package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

const chatMessageColumns = `id, "role", chatflowid, "executionId", content, "sourceDocuments", "usedTools",
	"fileAnnotations", "agentReasoning", "reasonContent", "fileUploads", artifacts, "action",
	"followUpPrompts", "chatType", "chatId", "memoryType", "sessionId", "leadEmail", "createdDate"`

func scanChatMessage(s scanner) (ChatMessage, error) {
	var m ChatMessage
	err := s.Scan(chatMessageDest(&m)...)
	return m, mapErr(err)
}

// chatMessageDest lists the scan destinations of chatMessageColumns.
func chatMessageDest(m *ChatMessage) []any {
	return []any{&m.ID, &m.Role, &m.ChatflowID, &m.ExecutionID, &m.Content, &m.SourceDocuments, &m.UsedTools,
		&m.FileAnnotations, &m.AgentReasoning, &m.ReasonContent, &m.FileUploads, &m.Artifacts, &m.Action,
		&m.FollowUpPrompts, &m.ChatType, &m.ChatID, &m.MemoryType, &m.SessionID, &m.LeadEmail,
		timeCol{&m.CreatedDate}}
}

// AddChatMessages inserts msgs in one transaction: either every message is
// stored or none is (a question and its answer are never stored one without
// the other). An empty ID gets a new UUID. A zero CreatedDate is set to the
// current time, strictly increasing along msgs so the batch keeps its order;
// a non-zero one (an imported message) is kept, converted to UTC and
// truncated to milliseconds. IDs and dates are written back into msgs, even
// when the insert fails.
func (db *DB) AddChatMessages(ctx context.Context, msgs ...*ChatMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	for _, m := range msgs {
		m.ID = newID(m.ID)
		if m.CreatedDate.IsZero() {
			m.CreatedDate = db.now()
		} else {
			m.CreatedDate = m.CreatedDate.UTC().Truncate(time.Millisecond)
		}
	}
	q := `INSERT INTO chat_message (` + chatMessageColumns + `) VALUES (` + placeholders(20) + `)`
	err := db.inTx(ctx, func(c conn) error {
		for i, m := range msgs {
			_, err := c.exec(ctx, q, m.ID, m.Role, m.ChatflowID, m.ExecutionID, m.Content, m.SourceDocuments,
				m.UsedTools, m.FileAnnotations, m.AgentReasoning, m.ReasonContent, m.FileUploads, m.Artifacts,
				m.Action, m.FollowUpPrompts, m.ChatType, m.ChatID, m.MemoryType, m.SessionID, m.LeadEmail,
				m.CreatedDate)
			if err != nil {
				return fmt.Errorf("inserting message %d of %d: %w", i+1, len(msgs), mapErr(err))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("adding chat messages: %w", err)
	}
	return nil
}

// chatMessageWhere builds the WHERE clause selecting the messages matching f.
func (db *DB) chatMessageWhere(f ChatMessageFilter) (string, []any) {
	conds, args := chatMessageConds(f)
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// chatMessageConds returns the conditions (on unqualified chat_message
// columns) selecting the messages matching f, and their arguments.
func chatMessageConds(f ChatMessageFilter) (conds []string, args []any) {
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+` = ?`)
			args = append(args, v)
		}
	}
	eq("chatflowid", f.ChatflowID)
	eq(`"chatId"`, f.ChatID)
	eq(`"sessionId"`, f.SessionID)
	eq(`"memoryType"`, f.MemoryType)
	eq("id", f.MessageID)
	if len(f.ChatTypes) > 0 {
		conds = append(conds, `"chatType" IN (`+placeholders(len(f.ChatTypes))+`)`)
		for _, t := range f.ChatTypes {
			args = append(args, t)
		}
	}
	dateConds, dateArgs := dateRange(f.StartDate, f.EndDate)
	return append(conds, dateConds...), append(args, dateArgs...)
}

// dateRange returns the conditions on "createdDate" for an inclusive range
// whose ends may be nil. Stored dates have millisecond precision, so the
// bounds are rounded inwards to whole milliseconds, which selects the same
// rows in both dialects.
func dateRange(start, end *time.Time) (conds []string, args []any) {
	if start != nil {
		s := start.UTC()
		if t := s.Truncate(time.Millisecond); t.Before(s) {
			s = t.Add(time.Millisecond)
		}
		conds = append(conds, `"createdDate" >= ?`)
		args = append(args, s)
	}
	if end != nil {
		conds = append(conds, `"createdDate" <= ?`)
		args = append(args, end.UTC().Truncate(time.Millisecond))
	}
	return conds, args
}

// ListChatMessages returns the messages matching filter ordered by
// createdDate, oldest first unless filter.Descending is set, at most
// filter.Limit of them when it is positive.
func (db *DB) ListChatMessages(ctx context.Context, filter ChatMessageFilter) ([]ChatMessage, error) {
	q, args := db.listChatMessagesQuery(filter)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing chat messages: %w", err)
	}
	msgs, err := collect(rows, scanChatMessage)
	if err != nil {
		return nil, fmt.Errorf("listing chat messages: %w", err)
	}
	return msgs, nil
}

// listChatMessagesQuery builds ListChatMessages' query. Ties on createdDate
// are broken by id so that the order is total.
func (db *DB) listChatMessagesQuery(filter ChatMessageFilter) (string, []any) {
	where, args := db.chatMessageWhere(filter)
	dir := "ASC"
	if filter.Descending {
		dir = "DESC"
	}
	q := `SELECT ` + chatMessageColumns + ` FROM chat_message` + where +
		` ORDER BY "createdDate" ` + dir + `, id ` + dir
	return db.limitOffset(q, args, filter.Limit, 0)
}

// DeleteChatMessages deletes the messages matching filter, and the feedback
// given on them, in one transaction, and returns the number of messages
// deleted. filter.ChatflowID is required; Descending and Limit are ignored.
func (db *DB) DeleteChatMessages(ctx context.Context, filter ChatMessageFilter) (int64, error) {
	if filter.ChatflowID == "" {
		return 0, errors.New("deleting chat messages: empty chatflow id")
	}
	where, args := db.chatMessageWhere(filter)
	var n int64
	err := db.inTx(ctx, func(c conn) error {
		_, err := c.exec(ctx, `DELETE FROM chat_message_feedback WHERE "messageId" IN
			(SELECT id FROM chat_message`+where+`)`, args...)
		if err != nil {
			return fmt.Errorf("deleting feedback: %w", err)
		}
		res, err := c.exec(ctx, `DELETE FROM chat_message`+where, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("deleting chat messages: %w", err)
	}
	return n, nil
}

// GetChatMessage returns the message with the given id, or [ErrNotFound].
func (db *DB) GetChatMessage(ctx context.Context, id string) (*ChatMessage, error) {
	m, err := scanChatMessage(db.reader().queryRow(ctx, `SELECT `+chatMessageColumns+` FROM chat_message WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting chat message %q: %w", id, err)
	}
	return &m, nil
}

// idBatch is how many ids one IN (...) list holds, well under both
// dialects' limits on bound parameters.
const idBatch = 500

// DeleteChatMessagesByID deletes the messages of chatflowID whose ids are
// listed, the feedback given on them, and the executions that only they
// referenced, in one transaction, and returns the number of messages
// deleted. Ids of other chatflows' messages are ignored.
func (db *DB) DeleteChatMessagesByID(ctx context.Context, chatflowID string, ids []string) (int64, error) {
	if chatflowID == "" {
		return 0, errors.New("deleting chat messages: empty chatflow id")
	}
	var n int64
	err := db.inTx(ctx, func(c conn) error {
		for start := 0; start < len(ids); start += idBatch {
			batch := ids[start:min(start+idBatch, len(ids))]
			args := make([]any, 0, len(batch)+1)
			args = append(args, chatflowID)
			for _, id := range batch {
				args = append(args, id)
			}
			sel := `SELECT id FROM chat_message WHERE chatflowid = ? AND id IN (` + placeholders(len(batch)) + `)`
			if _, err := c.exec(ctx, `DELETE FROM chat_message_feedback WHERE "messageId" IN (`+sel+`)`, args...); err != nil {
				return fmt.Errorf("deleting feedback: %w", err)
			}
			rows, err := c.query(ctx, `SELECT DISTINCT "executionId" FROM chat_message
				WHERE chatflowid = ? AND id IN (`+placeholders(len(batch))+`) AND "executionId" IS NOT NULL`, args...)
			if err != nil {
				return fmt.Errorf("listing executions: %w", err)
			}
			execs, err := collect(rows, func(s scanner) (string, error) {
				var id string
				return id, s.Scan(&id)
			})
			if err != nil {
				return fmt.Errorf("listing executions: %w", err)
			}
			res, err := c.exec(ctx, `DELETE FROM chat_message WHERE chatflowid = ? AND id IN (`+placeholders(len(batch))+`)`, args...)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
			if err := deleteOrphanExecutions(ctx, c, execs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("deleting chat messages: %w", err)
	}
	return n, nil
}

// deleteOrphanExecutions deletes the executions listed that no chat message
// references any more.
func deleteOrphanExecutions(ctx context.Context, c conn, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := c.exec(ctx, `DELETE FROM execution WHERE id IN (`+placeholders(len(ids))+`)
		AND NOT EXISTS (SELECT 1 FROM chat_message WHERE chat_message."executionId" = execution.id)`, args...)
	if err != nil {
		return fmt.Errorf("deleting executions: %w", err)
	}
	return nil
}
