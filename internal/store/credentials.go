package store

import (
	"context"
	"fmt"
	"strings"
)

const credentialColumns = `id, name, "credentialName", "encryptedData", "workspaceId", "createdDate", "updatedDate"`

func scanCredential(s scanner) (Credential, error) {
	var c Credential
	err := s.Scan(&c.ID, &c.Name, &c.CredentialName, &c.EncryptedData, &c.WorkspaceID,
		timeCol{&c.CreatedDate}, timeCol{&c.UpdatedDate})
	return c, mapErr(err)
}

// CreateCredential inserts c. An empty c.ID gets a new UUID; c.ID,
// c.CreatedDate and c.UpdatedDate are written back into c.
func (db *DB) CreateCredential(ctx context.Context, c *Credential) error {
	c.ID = newID(c.ID)
	c.CreatedDate = db.now()
	c.UpdatedDate = c.CreatedDate
	_, err := db.writer().exec(ctx, `INSERT INTO credential (`+credentialColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Name, c.CredentialName, c.EncryptedData, c.WorkspaceID, c.CreatedDate, c.UpdatedDate)
	if err != nil {
		return fmt.Errorf("inserting credential: %w", mapErr(err))
	}
	return nil
}

// GetCredential returns the credential with the given id, or [ErrNotFound].
func (db *DB) GetCredential(ctx context.Context, id string) (*Credential, error) {
	c, err := scanCredential(db.reader().queryRow(ctx,
		`SELECT `+credentialColumns+` FROM credential WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("getting credential %q: %w", id, err)
	}
	return &c, nil
}

// ListCredentials returns the credentials whose CredentialName is one of
// credentialNames (every credential when it is empty), most recently updated
// first.
func (db *DB) ListCredentials(ctx context.Context, credentialNames []string) ([]Credential, error) {
	q := `SELECT ` + credentialColumns + ` FROM credential`
	var args []any
	if len(credentialNames) > 0 {
		q += ` WHERE "credentialName" IN (` + placeholders(len(credentialNames)) + `)`
		for _, n := range credentialNames {
			args = append(args, n)
		}
	}
	rows, err := db.reader().query(ctx, q+` ORDER BY "updatedDate" DESC, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing credentials: %w", err)
	}
	creds, err := collect(rows, scanCredential)
	if err != nil {
		return nil, fmt.Errorf("listing credentials: %w", err)
	}
	return creds, nil
}

// placeholders returns n comma-separated ? placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// UpdateCredential stores c's name, credential name, encrypted data and
// workspace, sets c.UpdatedDate and reloads c.CreatedDate. It returns
// [ErrNotFound] when no credential has id c.ID.
func (db *DB) UpdateCredential(ctx context.Context, c *Credential) error {
	now := db.now()
	err := db.writer().queryRow(ctx, `UPDATE credential SET name = ?, "credentialName" = ?, "encryptedData" = ?,
		"workspaceId" = ?, "updatedDate" = ? WHERE id = ? RETURNING "createdDate"`,
		c.Name, c.CredentialName, c.EncryptedData, c.WorkspaceID, now, c.ID).Scan(timeCol{&c.CreatedDate})
	if err != nil {
		return fmt.Errorf("updating credential %q: %w", c.ID, mapErr(err))
	}
	c.UpdatedDate = now
	return nil
}

// DeleteCredential deletes the credential with the given id. It returns
// [ErrNotFound] when no credential has that id.
func (db *DB) DeleteCredential(ctx context.Context, id string) error {
	if err := db.writer().execOne(ctx, `DELETE FROM credential WHERE id = ?`, id); err != nil {
		return fmt.Errorf("deleting credential %q: %w", id, err)
	}
	return nil
}
