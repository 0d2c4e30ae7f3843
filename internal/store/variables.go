package store

import (
	"context"
	"fmt"
)

const variableColumns = `id, name, value, "type", "workspaceId", "createdDate", "updatedDate"`

func scanVariable(s scanner) (Variable, error) {
	var v Variable
	err := s.Scan(&v.ID, &v.Name, &v.Value, &v.Type, &v.WorkspaceID, timeCol{&v.CreatedDate}, timeCol{&v.UpdatedDate})
	return v, mapErr(err)
}

// CreateVariable inserts v. An empty v.ID gets a new UUID and an empty v.Type
// becomes "string" (Flowise's column default); v.ID, v.Type, v.CreatedDate
// and v.UpdatedDate are written back into v.
func (db *DB) CreateVariable(ctx context.Context, v *Variable) error {
	v.ID = newID(v.ID)
	if v.Type == "" {
		v.Type = "string"
	}
	v.CreatedDate = db.now()
	v.UpdatedDate = v.CreatedDate
	_, err := db.writer().exec(ctx, `INSERT INTO variable (`+variableColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.Name, v.Value, v.Type, v.WorkspaceID, v.CreatedDate, v.UpdatedDate)
	if err != nil {
		return fmt.Errorf("inserting variable: %w", mapErr(err))
	}
	return nil
}

// GetVariable returns the variable with the given id, or [ErrNotFound].
func (db *DB) GetVariable(ctx context.Context, id string) (*Variable, error) {
	v, err := scanVariable(db.reader().queryRow(ctx, `SELECT `+variableColumns+` FROM variable WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting variable %q: %w", id, err)
	}
	return &v, nil
}

// ListVariables returns every variable, most recently updated first.
func (db *DB) ListVariables(ctx context.Context) ([]Variable, error) {
	rows, err := db.reader().query(ctx, `SELECT `+variableColumns+` FROM variable ORDER BY "updatedDate" DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("listing variables: %w", err)
	}
	vars, err := collect(rows, scanVariable)
	if err != nil {
		return nil, fmt.Errorf("listing variables: %w", err)
	}
	return vars, nil
}

// UpdateVariable stores v's name, value, type and workspace, sets
// v.UpdatedDate and reloads v.CreatedDate. It returns [ErrNotFound] when no
// variable has id v.ID.
func (db *DB) UpdateVariable(ctx context.Context, v *Variable) error {
	now := db.now()
	err := db.writer().queryRow(ctx, `UPDATE variable SET name = ?, value = ?, "type" = ?, "workspaceId" = ?,
		"updatedDate" = ? WHERE id = ? RETURNING "createdDate"`,
		v.Name, v.Value, v.Type, v.WorkspaceID, now, v.ID).Scan(timeCol{&v.CreatedDate})
	if err != nil {
		return fmt.Errorf("updating variable %q: %w", v.ID, mapErr(err))
	}
	v.UpdatedDate = now
	return nil
}

// DeleteVariable deletes the variable with the given id. It returns
// [ErrNotFound] when no variable has that id.
func (db *DB) DeleteVariable(ctx context.Context, id string) error {
	if err := db.writer().execOne(ctx, `DELETE FROM variable WHERE id = ?`, id); err != nil {
		return fmt.Errorf("deleting variable %q: %w", id, err)
	}
	return nil
}
