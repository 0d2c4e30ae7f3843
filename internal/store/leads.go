package store

import (
	"context"
	"fmt"
)

const leadColumns = `id, name, email, phone, chatflowid, "chatId", "createdDate"`

func scanLead(s scanner) (Lead, error) {
	var l Lead
	err := s.Scan(&l.ID, &l.Name, &l.Email, &l.Phone, &l.ChatflowID, &l.ChatID, timeCol{&l.CreatedDate})
	return l, mapErr(err)
}

// CreateLead inserts l. An empty l.ID gets a new UUID; l.ID and
// l.CreatedDate are written back into l.
func (db *DB) CreateLead(ctx context.Context, l *Lead) error {
	l.ID = newID(l.ID)
	l.CreatedDate = db.now()
	_, err := db.writer().exec(ctx, `INSERT INTO lead (`+leadColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.Name, l.Email, l.Phone, l.ChatflowID, l.ChatID, l.CreatedDate)
	if err != nil {
		return fmt.Errorf("inserting lead: %w", mapErr(err))
	}
	return nil
}

// ListLeads returns the leads of the chatflow chatflowID, oldest first.
func (db *DB) ListLeads(ctx context.Context, chatflowID string) ([]Lead, error) {
	rows, err := db.reader().query(ctx, `SELECT `+leadColumns+` FROM lead WHERE chatflowid = ?
		ORDER BY "createdDate", id`, chatflowID)
	if err != nil {
		return nil, fmt.Errorf("listing leads: %w", err)
	}
	leads, err := collect(rows, scanLead)
	if err != nil {
		return nil, fmt.Errorf("listing leads: %w", err)
	}
	return leads, nil
}
