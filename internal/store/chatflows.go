package store

import (
	"context"
	"fmt"
)

const chatFlowColumns = `id, name, "flowData", deployed, "isPublic", apikeyid, "chatbotConfig",
	"apiConfig", analytic, "speechToText", "textToSpeech", "followUpPrompts", category, "type",
	"mcpServerConfig", "workspaceId", "createdDate", "updatedDate"`

func scanChatFlow(s scanner) (ChatFlow, error) {
	var f ChatFlow
	err := s.Scan(&f.ID, &f.Name, &f.FlowData, &f.Deployed, &f.IsPublic, &f.APIKeyID, &f.ChatbotConfig,
		&f.APIConfig, &f.Analytic, &f.SpeechToText, &f.TextToSpeech, &f.FollowUpPrompts, &f.Category, &f.Type,
		&f.MCPServerConfig, &f.WorkspaceID, timeCol{&f.CreatedDate}, timeCol{&f.UpdatedDate})
	return f, mapErr(err)
}

// CreateChatFlow inserts f. An empty f.ID gets a new UUID and an empty f.Type
// becomes [TypeChatflow]; f.ID, f.Type, f.CreatedDate and f.UpdatedDate are
// written back into f.
func (db *DB) CreateChatFlow(ctx context.Context, f *ChatFlow) error {
	f.ID = newID(f.ID)
	if f.Type == "" {
		f.Type = TypeChatflow
	}
	f.CreatedDate = db.now()
	f.UpdatedDate = f.CreatedDate
	_, err := db.writer().exec(ctx, `INSERT INTO chat_flow (`+chatFlowColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.Name, f.FlowData, f.Deployed, f.IsPublic, f.APIKeyID, f.ChatbotConfig,
		f.APIConfig, f.Analytic, f.SpeechToText, f.TextToSpeech, f.FollowUpPrompts, f.Category, f.Type,
		f.MCPServerConfig, f.WorkspaceID, f.CreatedDate, f.UpdatedDate)
	if err != nil {
		return fmt.Errorf("inserting chatflow: %w", mapErr(err))
	}
	return nil
}

// GetChatFlow returns the chatflow with the given id, or [ErrNotFound].
func (db *DB) GetChatFlow(ctx context.Context, id string) (*ChatFlow, error) {
	f, err := scanChatFlow(db.reader().queryRow(ctx,
		`SELECT `+chatFlowColumns+` FROM chat_flow WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting chatflow %q: %w", id, err)
	}
	return &f, nil
}

// ListChatFlows returns the chatflows matching filter, most recently updated
// first, and the number of chatflows matching filter when Limit and Offset
// are ignored.
func (db *DB) ListChatFlows(ctx context.Context, filter ChatFlowFilter) ([]ChatFlow, int, error) {
	where, args := "", []any{}
	if filter.Type != "" {
		where = ` WHERE "type" = ?`
		args = append(args, filter.Type)
	}
	r := db.reader()
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM chat_flow`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("counting chatflows: %w", err)
	}
	q := `SELECT ` + chatFlowColumns + ` FROM chat_flow` + where + ` ORDER BY "updatedDate" DESC, id`
	q, args = db.limitOffset(q, args, filter.Limit, filter.Offset)
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("listing chatflows: %w", err)
	}
	flows, err := collect(rows, scanChatFlow)
	if err != nil {
		return nil, 0, fmt.Errorf("listing chatflows: %w", err)
	}
	return flows, total, nil
}

// limitOffset appends LIMIT/OFFSET clauses to q; limit 0 means no limit.
func (db *DB) limitOffset(q string, args []any, limit, offset int) (string, []any) {
	switch {
	case limit > 0:
		q += ` LIMIT ?`
		args = append(args, limit)
	case offset > 0 && db.dialect == DialectSQLite:
		q += ` LIMIT -1` // SQLite accepts OFFSET only after LIMIT
	}
	if offset > 0 {
		q += ` OFFSET ?`
		args = append(args, offset)
	}
	return q, args
}

// ListChatFlowsByAPIKey returns the chatflows bound to the API key apiKeyID,
// most recently updated first. Unless keyOnly is set it also returns the
// chatflows bound to no key (apikeyid NULL or empty), which any valid key may
// use.
func (db *DB) ListChatFlowsByAPIKey(ctx context.Context, apiKeyID string, keyOnly bool) ([]ChatFlow, error) {
	cond := `apikeyid = ?`
	if !keyOnly {
		cond = `(apikeyid = ? OR apikeyid IS NULL OR apikeyid = '')`
	}
	rows, err := db.reader().query(ctx, `SELECT `+chatFlowColumns+` FROM chat_flow WHERE `+cond+
		` ORDER BY "updatedDate" DESC, id`, apiKeyID)
	if err != nil {
		return nil, fmt.Errorf("listing chatflows of api key %q: %w", apiKeyID, err)
	}
	flows, err := collect(rows, scanChatFlow)
	if err != nil {
		return nil, fmt.Errorf("listing chatflows of api key %q: %w", apiKeyID, err)
	}
	return flows, nil
}

// UpdateChatFlow stores every column of f except id and createdDate, sets
// f.UpdatedDate and reloads f.CreatedDate. It returns [ErrNotFound] when no
// chatflow has id f.ID.
func (db *DB) UpdateChatFlow(ctx context.Context, f *ChatFlow) error {
	now := db.now()
	err := db.writer().queryRow(ctx, `UPDATE chat_flow SET name = ?, "flowData" = ?, deployed = ?,
		"isPublic" = ?, apikeyid = ?, "chatbotConfig" = ?, "apiConfig" = ?, analytic = ?,
		"speechToText" = ?, "textToSpeech" = ?, "followUpPrompts" = ?, category = ?, "type" = ?,
		"mcpServerConfig" = ?, "workspaceId" = ?, "updatedDate" = ?
		WHERE id = ? RETURNING "createdDate"`,
		f.Name, f.FlowData, f.Deployed, f.IsPublic, f.APIKeyID, f.ChatbotConfig, f.APIConfig, f.Analytic,
		f.SpeechToText, f.TextToSpeech, f.FollowUpPrompts, f.Category, f.Type,
		f.MCPServerConfig, f.WorkspaceID, now, f.ID).Scan(timeCol{&f.CreatedDate})
	if err != nil {
		return fmt.Errorf("updating chatflow %q: %w", f.ID, mapErr(err))
	}
	f.UpdatedDate = now
	return nil
}

// chatFlowChildren lists the tables whose rows belong to a chatflow and the
// column holding the chatflow id; DeleteChatFlow empties them.
var chatFlowChildren = []struct{ table, column string }{
	{"chat_message", "chatflowid"},
	{"chat_message_feedback", "chatflowid"},
	{"upsert_history", "chatflowid"},
	{"lead", "chatflowid"},
	{"execution", `"agentflowId"`},
}

// DeleteChatFlow deletes the chatflow with the given id together with its
// chat messages, feedback, upsert history, leads and executions, in one
// transaction. It returns [ErrNotFound] when no chatflow has that id.
func (db *DB) DeleteChatFlow(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(c conn) error {
		if err := c.execOne(ctx, `DELETE FROM chat_flow WHERE id = ?`, id); err != nil {
			return err
		}
		for _, ch := range chatFlowChildren {
			q := `DELETE FROM ` + ch.table + ` WHERE ` + ch.column + ` = ?`
			if _, err := c.exec(ctx, q, id); err != nil {
				return fmt.Errorf("deleting rows of %s: %w", ch.table, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("deleting chatflow %q: %w", id, err)
	}
	return nil
}
