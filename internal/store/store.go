package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Database types accepted in [Options.Type] and returned by [DB.Dialect].
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Options selects and locates the database opened by [Open].
type Options struct {
	// Type is "sqlite" or "postgres"; empty means "sqlite".
	Type string
	// SQLitePath is the path of the SQLite database file. Its parent
	// directory is created when missing. It must be a plain path: URIs,
	// query parameters and in-memory databases are rejected (the reader and
	// writer pools must share one file, configured by Open).
	SQLitePath string
	// PostgresDSN is a pgx connection string, URL ("postgres://...") or
	// key=value form. Runtime parameters such as search_path are passed on
	// to the server.
	PostgresDSN string
}

// DB is an open Floe database. Its methods are safe for concurrent use; Close
// it when done.
type DB struct {
	dialect string
	// w runs every write and transaction. For SQLite it holds exactly one
	// connection; for Postgres it is the only pool and r == w.
	w *sql.DB
	// r runs single-statement reads. For SQLite its connections are
	// read-only (PRAGMA query_only).
	r *sql.DB

	stmts stmtCache
	// wgate queues SQLite writers fairly (see acquireWriter); nil on
	// Postgres.
	wgate chan struct{}

	clockMu   sync.Mutex // guards lastStamp
	lastStamp time.Time
}

// Open opens the database described by opts, configures its connections and
// applies any pending migrations. The caller must Close the returned DB.
func Open(ctx context.Context, opts Options) (*DB, error) {
	switch opts.Type {
	case "", DialectSQLite:
		return openSQLite(ctx, opts.SQLitePath)
	case DialectPostgres:
		return openPostgres(ctx, opts.PostgresDSN)
	default:
		return nil, fmt.Errorf("opening database: unknown type %q (want %q or %q)", opts.Type, DialectSQLite, DialectPostgres)
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("opening sqlite database: empty path")
	}
	if path == ":memory:" || strings.HasPrefix(path, "file:") || strings.Contains(path, "?") {
		return nil, fmt.Errorf("opening sqlite database: %q is not a plain file path", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating database directory: %w", err)
		}
	}
	// Shorthand keys are validated by the driver. _txlock=immediate makes
	// BEGIN take the write lock at once, so a transaction never has to
	// upgrade from a read lock (which would fail with SQLITE_BUSY instead of
	// waiting if another process writes).
	common := url.Values{
		"_busy_timeout": {"5000"},
		"_foreign_keys": {"on"},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"NORMAL"},
	}
	wq := cloneValues(common)
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening sqlite database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	db := &DB{dialect: DialectSQLite, w: w, r: w, wgate: make(chan struct{}, 1)}
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("connecting to sqlite database %s: %w", path, err)
	}
	// Migrate before opening the read-only pool: its connections must find
	// the file already in WAL mode.
	if err := db.migrate(ctx); err != nil {
		_ = w.Close()
		return nil, err
	}
	rq := cloneValues(common)
	rq.Set("_query_only", "on")
	r, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("opening sqlite database: %w", err)
	}
	n := max(8, 4*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("connecting to sqlite database %s: %w", path, err)
	}
	db.r = r
	return db, nil
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("opening postgres database: empty dsn")
	}
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening postgres database: %w", err)
	}
	p.SetMaxOpenConns(16)
	p.SetMaxIdleConns(4)
	p.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{dialect: DialectPostgres, w: p, r: p}
	if err := p.PingContext(ctx); err != nil {
		_ = p.Close()
		return nil, fmt.Errorf("connecting to postgres database: %w", err)
	}
	if err := db.migrate(ctx); err != nil {
		_ = p.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection of db. Operations in flight may fail; db
// must not be used afterwards.
func (db *DB) Close() error {
	db.stmts.close()
	if db.r == db.w {
		return db.w.Close()
	}
	return errors.Join(db.r.Close(), db.w.Close())
}

// Ping checks that the database is reachable.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("pinging database: %w", err)
	}
	if db.r != db.w {
		if err := db.r.PingContext(ctx); err != nil {
			return fmt.Errorf("pinging database: %w", err)
		}
	}
	return nil
}

// Dialect reports the database type: [DialectSQLite] or [DialectPostgres].
func (db *DB) Dialect() string { return db.dialect }

// now returns the current time in UTC truncated to milliseconds, strictly
// after every value it returned before on db.
func (db *DB) now() time.Time {
	t := time.Now().UTC().Truncate(time.Millisecond)
	db.clockMu.Lock()
	defer db.clockMu.Unlock()
	if !t.After(db.lastStamp) {
		t = db.lastStamp.Add(time.Millisecond)
	}
	db.lastStamp = t
	return t
}
