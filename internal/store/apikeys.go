package store

import (
	"context"
	"fmt"
)

const apiKeyColumns = `id, "keyName", "apiKey", "keyHash", "apiSecret", permissions, "workspaceId",
	"createdDate", "updatedDate"`

func scanAPIKey(s scanner) (APIKey, error) {
	var k APIKey
	err := s.Scan(&k.ID, &k.KeyName, &k.KeyPreview, &k.KeyHash, &k.APISecret, &k.Permissions, &k.WorkspaceID,
		timeCol{&k.CreatedDate}, timeCol{&k.UpdatedDate})
	return k, mapErr(err)
}

// CreateAPIKey inserts k. An empty k.ID gets a new UUID and empty
// k.Permissions becomes "[]"; k.ID, k.Permissions, k.CreatedDate and
// k.UpdatedDate are written back into k. A second key with the same KeyHash
// is rejected with [ErrConflict].
func (db *DB) CreateAPIKey(ctx context.Context, k *APIKey) error {
	k.ID = newID(k.ID)
	if k.Permissions == "" {
		k.Permissions = "[]"
	}
	k.CreatedDate = db.now()
	k.UpdatedDate = k.CreatedDate
	_, err := db.writer().exec(ctx, `INSERT INTO apikey (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.KeyName, k.KeyPreview, k.KeyHash, k.APISecret, k.Permissions, k.WorkspaceID,
		k.CreatedDate, k.UpdatedDate)
	if err != nil {
		return fmt.Errorf("inserting api key: %w", mapErr(err))
	}
	return nil
}

// GetAPIKey returns the API key with the given id, or [ErrNotFound].
func (db *DB) GetAPIKey(ctx context.Context, id string) (*APIKey, error) {
	k, err := scanAPIKey(db.reader().queryRow(ctx, `SELECT `+apiKeyColumns+` FROM apikey WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting api key %q: %w", id, err)
	}
	return &k, nil
}

// GetAPIKeyByHash returns the API key whose KeyHash (hex SHA-256 of the
// plaintext key) is keyHash, or [ErrNotFound].
func (db *DB) GetAPIKeyByHash(ctx context.Context, keyHash string) (*APIKey, error) {
	k, err := scanAPIKey(db.reader().queryRow(ctx,
		`SELECT `+apiKeyColumns+` FROM apikey WHERE "keyHash" = ?`, keyHash))
	if err != nil {
		return nil, fmt.Errorf("getting api key by hash: %w", err)
	}
	return &k, nil
}

// ListAPIKeys returns every API key, oldest first.
func (db *DB) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	rows, err := db.reader().query(ctx, `SELECT `+apiKeyColumns+` FROM apikey ORDER BY "createdDate", id`)
	if err != nil {
		return nil, fmt.Errorf("listing api keys: %w", err)
	}
	keys, err := collect(rows, scanAPIKey)
	if err != nil {
		return nil, fmt.Errorf("listing api keys: %w", err)
	}
	return keys, nil
}

// UpdateAPIKey stores k.KeyName and k.Permissions (empty becomes "[]"), sets
// k.UpdatedDate and reloads every other field of k from the database. It
// returns [ErrNotFound] when no key has id k.ID.
func (db *DB) UpdateAPIKey(ctx context.Context, k *APIKey) error {
	if k.Permissions == "" {
		k.Permissions = "[]"
	}
	got, err := scanAPIKey(db.writer().queryRow(ctx, `UPDATE apikey SET "keyName" = ?, permissions = ?,
		"updatedDate" = ? WHERE id = ? RETURNING `+apiKeyColumns,
		k.KeyName, k.Permissions, db.now(), k.ID))
	if err != nil {
		return fmt.Errorf("updating api key %q: %w", k.ID, err)
	}
	*k = got
	return nil
}

// DeleteAPIKey deletes the API key with the given id and, in the same
// transaction, unbinds the chatflows bound to it (their apikeyid becomes
// NULL). It returns [ErrNotFound] when no key has that id.
func (db *DB) DeleteAPIKey(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(c conn) error {
		if err := c.execOne(ctx, `DELETE FROM apikey WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE chat_flow SET apikeyid = NULL WHERE apikeyid = ?`, id); err != nil {
			return fmt.Errorf("unbinding chatflows: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("deleting api key %q: %w", id, err)
	}
	return nil
}

// HasAPIKeys reports whether at least one API key exists.
func (db *DB) HasAPIKeys(ctx context.Context) (bool, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM apikey LIMIT 1) k`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("counting api keys: %w", err)
	}
	return n > 0, nil
}
