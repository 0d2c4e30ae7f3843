package store

import (
	"context"
	"fmt"
)

const toolColumns = `id, name, description, color, "iconSrc", "schema", "func", "workspaceId",
	"createdDate", "updatedDate"`

func scanTool(s scanner) (Tool, error) {
	var t Tool
	err := s.Scan(&t.ID, &t.Name, &t.Description, &t.Color, &t.IconSrc, &t.Schema, &t.Func, &t.WorkspaceID,
		timeCol{&t.CreatedDate}, timeCol{&t.UpdatedDate})
	return t, mapErr(err)
}

// CreateTool inserts t. An empty t.ID gets a new UUID; t.ID, t.CreatedDate
// and t.UpdatedDate are written back into t.
func (db *DB) CreateTool(ctx context.Context, t *Tool) error {
	t.ID = newID(t.ID)
	t.CreatedDate = db.now()
	t.UpdatedDate = t.CreatedDate
	_, err := db.writer().exec(ctx, `INSERT INTO tool (`+toolColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Name, t.Description, t.Color, t.IconSrc, t.Schema, t.Func, t.WorkspaceID, t.CreatedDate, t.UpdatedDate)
	if err != nil {
		return fmt.Errorf("inserting tool: %w", mapErr(err))
	}
	return nil
}

// GetTool returns the tool with the given id, or [ErrNotFound].
func (db *DB) GetTool(ctx context.Context, id string) (*Tool, error) {
	t, err := scanTool(db.reader().queryRow(ctx, `SELECT `+toolColumns+` FROM tool WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting tool %q: %w", id, err)
	}
	return &t, nil
}

// ListTools returns every tool, most recently updated first.
func (db *DB) ListTools(ctx context.Context) ([]Tool, error) {
	rows, err := db.reader().query(ctx, `SELECT `+toolColumns+` FROM tool ORDER BY "updatedDate" DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("listing tools: %w", err)
	}
	tools, err := collect(rows, scanTool)
	if err != nil {
		return nil, fmt.Errorf("listing tools: %w", err)
	}
	return tools, nil
}

// UpdateTool stores every column of t except id and createdDate, sets
// t.UpdatedDate and reloads t.CreatedDate. It returns [ErrNotFound] when no
// tool has id t.ID.
func (db *DB) UpdateTool(ctx context.Context, t *Tool) error {
	now := db.now()
	err := db.writer().queryRow(ctx, `UPDATE tool SET name = ?, description = ?, color = ?, "iconSrc" = ?,
		"schema" = ?, "func" = ?, "workspaceId" = ?, "updatedDate" = ? WHERE id = ? RETURNING "createdDate"`,
		t.Name, t.Description, t.Color, t.IconSrc, t.Schema, t.Func, t.WorkspaceID, now, t.ID).
		Scan(timeCol{&t.CreatedDate})
	if err != nil {
		return fmt.Errorf("updating tool %q: %w", t.ID, mapErr(err))
	}
	t.UpdatedDate = now
	return nil
}

// DeleteTool deletes the tool with the given id. It returns [ErrNotFound]
// when no tool has that id.
func (db *DB) DeleteTool(ctx context.Context, id string) error {
	if err := db.writer().execOne(ctx, `DELETE FROM tool WHERE id = ?`, id); err != nil {
		return fmt.Errorf("deleting tool %q: %w", id, err)
	}
	return nil
}
