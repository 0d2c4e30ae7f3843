package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

const feedbackColumns = `id, chatflowid, "chatId", "messageId", rating, content, "createdDate"`

func scanFeedback(s scanner) (Feedback, error) {
	var f Feedback
	err := s.Scan(&f.ID, &f.ChatflowID, &f.ChatID, &f.MessageID, &f.Rating, &f.Content, timeCol{&f.CreatedDate})
	return f, mapErr(err)
}

// CreateFeedback inserts f, the feedback on message f.MessageID. The
// message must exist with chatflow f.ChatflowID and chat f.ChatID, else
// nothing is written and [ErrNotFound] is returned; a second feedback on the
// same message is [ErrConflict]. An empty f.ID gets a new UUID; f.ID and
// f.CreatedDate are written back into f.
func (db *DB) CreateFeedback(ctx context.Context, f *Feedback) error {
	f.ID = newID(f.ID)
	f.CreatedDate = db.now()
	err := db.inTx(ctx, func(c conn) error {
		var one int
		err := c.queryRow(ctx, `SELECT 1 FROM chat_message WHERE id = ? AND chatflowid = ? AND "chatId" = ?`,
			f.MessageID, f.ChatflowID, f.ChatID).Scan(&one)
		if err != nil {
			return fmt.Errorf("finding message %q: %w", f.MessageID, mapErr(err))
		}
		_, err = c.exec(ctx, `INSERT INTO chat_message_feedback (`+feedbackColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.ChatflowID, f.ChatID, f.MessageID, f.Rating, f.Content, f.CreatedDate)
		return mapErr(err)
	})
	if err != nil {
		return fmt.Errorf("inserting feedback: %w", err)
	}
	return nil
}

// GetFeedback returns the feedback with the given id, or [ErrNotFound].
func (db *DB) GetFeedback(ctx context.Context, id string) (*Feedback, error) {
	f, err := scanFeedback(db.reader().queryRow(ctx, `SELECT `+feedbackColumns+` FROM chat_message_feedback WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting feedback %q: %w", id, err)
	}
	return &f, nil
}

// UpdateFeedback stores f's rating and content and reloads the other
// columns into f. It returns [ErrNotFound] when no feedback has id f.ID.
func (db *DB) UpdateFeedback(ctx context.Context, f *Feedback) error {
	row := db.writer().queryRow(ctx, `UPDATE chat_message_feedback SET rating = ?, content = ? WHERE id = ?
		RETURNING `+feedbackColumns, f.Rating, f.Content, f.ID)
	got, err := scanFeedback(row)
	if err != nil {
		return fmt.Errorf("updating feedback %q: %w", f.ID, err)
	}
	*f = got
	return nil
}

// ListFeedback returns the feedback matching filter ordered by createdDate,
// oldest first unless filter.Descending is set.
func (db *DB) ListFeedback(ctx context.Context, filter FeedbackFilter) ([]Feedback, error) {
	conds := []string{`chatflowid = ?`}
	args := []any{filter.ChatflowID}
	if filter.ChatID != "" {
		conds = append(conds, `"chatId" = ?`)
		args = append(args, filter.ChatID)
	}
	dateConds, dateArgs := dateRange(filter.StartDate, filter.EndDate)
	conds, args = append(conds, dateConds...), append(args, dateArgs...)
	q := `SELECT ` + feedbackColumns + ` FROM chat_message_feedback WHERE ` + strings.Join(conds, ` AND `) +
		` ORDER BY "createdDate" ` + direction(filter.Descending) + `, id ` + direction(filter.Descending)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing feedback: %w", err)
	}
	fbs, err := collect(rows, scanFeedback)
	if err != nil {
		return nil, fmt.Errorf("listing feedback: %w", err)
	}
	return fbs, nil
}

func direction(desc bool) string {
	if desc {
		return "DESC"
	}
	return "ASC"
}

// ListRatedChatMessages returns the messages matching filter, each with its
// feedback, ordered by createdDate (oldest first unless
// filter.Descending is set). See [RatedMessageFilter] for the rating filter
// and session paging.
func (db *DB) ListRatedChatMessages(ctx context.Context, filter RatedMessageFilter) ([]RatedMessage, error) {
	conds, args := chatMessageConds(filter.ChatMessageFilter)
	if filter.Page > 0 && filter.PageSize > 0 {
		sessions, err := db.pageSessions(ctx, filter)
		if err != nil {
			return nil, fmt.Errorf("listing rated chat messages: %w", err)
		}
		if len(sessions) == 0 {
			return nil, nil
		}
		conds = append(conds, `"sessionId" IN (`+placeholders(len(sessions))+`)`)
		for _, s := range sessions {
			args = append(args, s)
		}
	}
	inner := `SELECT ` + chatMessageColumns + ` FROM chat_message`
	if len(conds) > 0 {
		inner += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	q := `SELECT m.*, f.id, f.chatflowid, f."chatId", f."messageId", f.rating, f.content, f."createdDate"
		FROM (` + inner + `) m LEFT JOIN chat_message_feedback f ON f."messageId" = m.id`
	if len(filter.Ratings) > 0 {
		q += ` WHERE (f.rating IN (` + placeholders(len(filter.Ratings)) + `) OR f.rating IS NULL)`
		for _, r := range filter.Ratings {
			args = append(args, r)
		}
	}
	// The rating filter works on sessions in time order; the requested
	// order is applied afterwards.
	desc := filter.Descending && len(filter.Ratings) == 0
	q += ` ORDER BY m."createdDate" ` + direction(desc) + `, m.id ` + direction(desc)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing rated chat messages: %w", err)
	}
	msgs, err := collect(rows, scanRatedMessage)
	if err != nil {
		return nil, fmt.Errorf("listing rated chat messages: %w", err)
	}
	if len(filter.Ratings) > 0 {
		msgs = keepRated(msgs, filter.Ratings)
		if filter.Descending {
			slices.Reverse(msgs)
		}
	}
	return msgs, nil
}

func scanRatedMessage(s scanner) (RatedMessage, error) {
	var (
		m                           RatedMessage
		id, flow, chat, msg, rating *string
		content                     *string
		created                     time.Time
	)
	dest := append(chatMessageDest(&m.ChatMessage), &id, &flow, &chat, &msg, &rating, &content, timeCol{&created})
	if err := s.Scan(dest...); err != nil {
		return m, mapErr(err)
	}
	if id != nil {
		m.Feedback = &Feedback{ID: *id, ChatflowID: deref(flow), ChatID: deref(chat), MessageID: deref(msg),
			Rating: deref(rating), Content: content, CreatedDate: created}
	}
	return m, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// keepRated keeps, in each session, the apiMessages rated with one of
// ratings and the message just before each. msgs are oldest first; messages
// without a session id are dropped.
func keepRated(msgs []RatedMessage, ratings []string) []RatedMessage {
	prev := map[string]int{} // session id → index in msgs of its latest message so far
	keep := make([]bool, len(msgs))
	for i, m := range msgs {
		if m.SessionID == nil {
			continue
		}
		s := *m.SessionID
		if m.Role == "apiMessage" && m.Feedback != nil && slices.Contains(ratings, m.Feedback.Rating) {
			keep[i] = true
			if j, ok := prev[s]; ok {
				keep[j] = true
			}
		}
		prev[s] = i
	}
	out := []RatedMessage{}
	for i, m := range msgs {
		if keep[i] {
			out = append(out, m)
		}
	}
	return out
}

// pageSessions returns the session ids on filter's page: sessions ordered by
// their latest matching message.
func (db *DB) pageSessions(ctx context.Context, filter RatedMessageFilter) ([]string, error) {
	conds, args := chatMessageConds(filter.ChatMessageFilter)
	conds = append(conds, `"sessionId" IS NOT NULL`)
	if len(filter.Ratings) > 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM chat_message_feedback f WHERE f."messageId" = chat_message.id
			AND f.rating IN (`+placeholders(len(filter.Ratings))+`))`)
		for _, r := range filter.Ratings {
			args = append(args, r)
		}
	}
	dir := direction(filter.Descending)
	q := `SELECT "sessionId" FROM chat_message WHERE ` + strings.Join(conds, ` AND `) +
		` GROUP BY "sessionId" ORDER BY MAX("createdDate") ` + dir + `, "sessionId" ` + dir
	q, args = db.limitOffset(q, args, filter.PageSize, (filter.Page-1)*filter.PageSize)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("paging sessions: %w", err)
	}
	sessions, err := collect(rows, func(s scanner) (string, error) {
		var id string
		return id, s.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("paging sessions: %w", err)
	}
	return sessions, nil
}
