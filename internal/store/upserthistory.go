package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// UpsertHistory is a row of upsert_history: one Vector Upsert API call.
// Result and FlowData hold JSON text.
type UpsertHistory struct {
	ID         string    `json:"id"`
	ChatflowID string    `json:"chatflowid"`
	Result     string    `json:"result"`
	FlowData   string    `json:"flowData"`
	Date       time.Time `json:"date"`
}

// UpsertHistoryFilter selects rows for [DB.ListUpsertHistory].
type UpsertHistoryFilter struct {
	ChatflowID string
	StartDate  *time.Time
	EndDate    *time.Time
	Descending bool
}

const upsertHistoryColumns = `id, chatflowid, "result", "flowData", "date"`

// CreateUpsertHistory inserts h, filling its id and date.
func (db *DB) CreateUpsertHistory(ctx context.Context, h *UpsertHistory) error {
	h.ID = newID(h.ID)
	h.Date = db.now()
	_, err := db.writer().exec(ctx, `INSERT INTO upsert_history (`+upsertHistoryColumns+`) VALUES (?, ?, ?, ?, ?)`,
		h.ID, h.ChatflowID, h.Result, h.FlowData, h.Date)
	if err != nil {
		return fmt.Errorf("inserting upsert history: %w", mapErr(err))
	}
	return nil
}

// ListUpsertHistory returns a chatflow's upsert history, oldest first
// unless Descending.
func (db *DB) ListUpsertHistory(ctx context.Context, f UpsertHistoryFilter) ([]UpsertHistory, error) {
	conds := []string{`chatflowid = ?`}
	args := []any{f.ChatflowID}
	if f.StartDate != nil {
		conds, args = append(conds, `"date" >= ?`), append(args, f.StartDate.UTC())
	}
	if f.EndDate != nil {
		conds, args = append(conds, `"date" <= ?`), append(args, f.EndDate.UTC())
	}
	dir := "ASC"
	if f.Descending {
		dir = "DESC"
	}
	rows, err := db.reader().query(ctx, `SELECT `+upsertHistoryColumns+` FROM upsert_history WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY "date" `+dir+`, id `+dir, args...)
	if err != nil {
		return nil, fmt.Errorf("listing upsert history: %w", err)
	}
	out, err := collect(rows, func(s scanner) (UpsertHistory, error) {
		var h UpsertHistory
		err := s.Scan(&h.ID, &h.ChatflowID, &h.Result, &h.FlowData, timeCol{&h.Date})
		return h, mapErr(err)
	})
	if err != nil {
		return nil, fmt.Errorf("listing upsert history: %w", err)
	}
	return out, nil
}

// DeleteUpsertHistory deletes rows by id in one transaction. When any id
// is unknown nothing is deleted and ErrNotFound is returned.
func (db *DB) DeleteUpsertHistory(ctx context.Context, ids []string) error {
	return db.inTx(ctx, func(c conn) error {
		for _, id := range ids {
			if err := c.execOne(ctx, `DELETE FROM upsert_history WHERE id = ?`, id); err != nil {
				return fmt.Errorf("deleting upsert history %s: %w", id, err)
			}
		}
		return nil
	})
}
