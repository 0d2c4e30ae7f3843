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
	err := s.Scan(&m.ID, &m.Role, &m.ChatflowID, &m.ExecutionID, &m.Content, &m.SourceDocuments, &m.UsedTools,
		&m.FileAnnotations, &m.AgentReasoning, &m.ReasonContent, &m.FileUploads, &m.Artifacts, &m.Action,
		&m.FollowUpPrompts, &m.ChatType, &m.ChatID, &m.MemoryType, &m.SessionID, &m.LeadEmail,
		timeCol{&m.CreatedDate})
	return m, mapErr(err)
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
	var (
		conds []string
		args  []any
	)
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
	// Stored dates have millisecond precision, so rounding the bounds inwards
	// to whole milliseconds selects the same rows in both dialects.
	if f.StartDate != nil {
		start := f.StartDate.UTC()
		if t := start.Truncate(time.Millisecond); t.Before(start) {
			start = t.Add(time.Millisecond)
		}
		conds = append(conds, `"createdDate" >= ?`)
		args = append(args, start)
	}
	if f.EndDate != nil {
		conds = append(conds, `"createdDate" <= ?`)
		args = append(args, f.EndDate.UTC().Truncate(time.Millisecond))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
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
