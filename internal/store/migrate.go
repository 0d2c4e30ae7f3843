package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the goose SQL migrations, one directory per dialect.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migrate applies pending migrations with a goose Provider private to db
// (goose's global state is never used). On Postgres a session advisory lock
// serializes concurrent migrators, such as several replicas starting at once.
func (db *DB) migrate(ctx context.Context) error {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	if db.dialect == DialectPostgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("creating migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("reading migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, db.w, fsys, opts...)
	if err != nil {
		return fmt.Errorf("loading migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrating %s database: %w", db.dialect, err)
	}
	return nil
}
