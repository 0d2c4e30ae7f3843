package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteTimeLayout is how SQLite stores timestamps: fixed-width RFC 3339 in
// UTC with milliseconds, so text order is time order.
const sqliteTimeLayout = "2006-01-02T15:04:05.000Z"

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs queries written in the neutral dialect (? placeholders) on a
// pool or transaction, rebinding them and converting arguments for db's
// dialect.
type conn struct {
	db *DB
	q  querier
	// pool is the pool q is (nil inside a transaction); tx the
	// transaction q is (nil outside one).
	pool *sql.DB
	tx   *sql.Tx
}

// reader returns a conn for single-statement reads.
func (db *DB) reader() conn { return conn{db: db, q: db.r, pool: db.r} }

// writer returns a conn for single-statement writes.
func (db *DB) writer() conn { return conn{db: db, q: db.w, pool: db.w} }

// stmt returns a prepared statement for query on c, or nil to run it
// unprepared. On SQLite, preparing (parsing SQL) costs as much as running
// a small statement, so statements are prepared once per pool and reused;
// pgx already caches them per connection.
func (c conn) stmt(ctx context.Context, query string) *sql.Stmt {
	if c.db.dialect != DialectSQLite {
		return nil
	}
	pool := c.pool
	if pool == nil {
		pool = c.db.w // transactions run on the writer pool
	}
	if c.tx != nil {
		// The writer's one connection is the transaction's: a statement
		// cannot be prepared on the pool now. Use a cached one, or ask for
		// it to be prepared once the transaction ends.
		st := c.db.stmts.cached(pool, query)
		if st == nil {
			c.db.stmts.want(query)
			return nil
		}
		return c.tx.StmtContext(ctx, st)
	}
	return c.db.stmts.get(ctx, pool, query)
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if c.tx == nil && c.pool == c.db.w {
		release, err := c.db.acquireWriter(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	query, args = c.db.rebind(query), c.db.args(args)
	if st := c.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.q.ExecContext(ctx, query, args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = c.db.rebind(query), c.db.args(args)
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, query, args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = c.db.rebind(query), c.db.args(args)
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, query, args...)
}

// stmtCache holds prepared statements per pool and query text. It stops
// growing at stmtCacheMax entries (queries built with variable-length IN
// lists would otherwise grow it without bound); later queries run
// unprepared.
type stmtCache struct {
	mu sync.Mutex
	// guards m and wanted
	m      map[stmtKey]*sql.Stmt
	wanted []string // writer queries to prepare when the writer is free
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

const stmtCacheMax = 512

func (sc *stmtCache) get(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	k := stmtKey{pool, query}
	sc.mu.Lock()
	st, ok := sc.m[k]
	full := len(sc.m) >= stmtCacheMax
	sc.mu.Unlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	// Prepare without holding mu: preparing needs a connection, and the
	// writer's only connection may belong to a transaction that is
	// waiting for mu in cached.
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // let the unprepared path report the error
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if prev, ok := sc.m[k]; ok {
		_ = st.Close()
		return prev
	}
	if sc.m == nil {
		sc.m = map[stmtKey]*sql.Stmt{}
	}
	sc.m[k] = st
	return st
}

// cached returns the statement for query on pool if it is prepared.
func (sc *stmtCache) cached(pool *sql.DB, query string) *sql.Stmt {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.m[stmtKey{pool, query}]
}

// want records a writer query to prepare after the current transaction.
func (sc *stmtCache) want(query string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.wanted) < 64 && len(sc.m) < stmtCacheMax {
		sc.wanted = append(sc.wanted, query)
	}
}

// prepareWanted prepares the queries transactions asked for on the writer
// pool, whose connection is free again.
func (sc *stmtCache) prepareWanted(ctx context.Context, pool *sql.DB) {
	sc.mu.Lock()
	wanted := sc.wanted
	sc.wanted = nil
	sc.mu.Unlock()
	for _, q := range wanted {
		sc.get(ctx, pool, q)
	}
}

// close closes every cached statement.
func (sc *stmtCache) close() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, st := range sc.m {
		_ = st.Close()
	}
	sc.m = nil
}

// execOne runs a statement that must affect at least one row and reports
// ErrNotFound when it affects none.
func (c conn) execOne(ctx context.Context, query string, args ...any) error {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// inTx runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise. fn must use only the conn it is given: on SQLite
// the writer pool has a single connection, held by the transaction.
func (db *DB) inTx(ctx context.Context, fn func(c conn) error) error {
	release, err := db.acquireWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	if db.dialect == DialectSQLite {
		defer db.stmts.prepareWanted(context.WithoutCancel(ctx), db.w)
	}
	if err := fn(conn{db: db, q: tx, tx: tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", mapErr(err))
	}
	return nil
}

// acquireWriter waits for SQLite's writer in arrival order. database/sql
// hands a busy pool's connection to a random waiter, so with one writer
// connection and many concurrent requests some writes waited far longer
// than others; this queue keeps the wait fair. Postgres needs no queue.
func (db *DB) acquireWriter(ctx context.Context) (release func(), err error) {
	if db.wgate == nil {
		return func() {}, nil
	}
	select {
	case db.wgate <- struct{}{}:
		return func() { <-db.wgate }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the database writer: %w", ctx.Err())
	}
}

// rebind rewrites ? placeholders to $1..$n for Postgres. Question marks
// inside single-quoted literals and double-quoted identifiers are kept.
func (db *DB) rebind(query string) string {
	if db.dialect != DialectPostgres || !strings.Contains(query, "?") {
		return query
	}
	return rebindDollar(query)
}

func rebindDollar(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte // the open quote character, or 0
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0 // a doubled quote closes and reopens: same result
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// args converts query arguments for db's dialect: time.Time becomes
// sqliteTimeLayout text on SQLite and UTC on Postgres.
// The caller's slice is not modified.
func (db *DB) args(args []any) []any {
	var out []any
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = db.timeArg(t)
		}
	}
	if out == nil {
		return args
	}
	return out
}

func (db *DB) timeArg(t time.Time) any {
	if db.dialect == DialectSQLite {
		return t.UTC().Format(sqliteTimeLayout)
	}
	return t.UTC()
}

// timeCol scans a timestamp column of either dialect into a UTC time.Time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.t = v.UTC()
		return nil
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	case nil:
		*c.t = time.Time{}
		return nil
	default:
		return fmt.Errorf("scanning timestamp: unsupported type %T", src)
	}
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scanning timestamp: %w", err)
	}
	*c.t = t.UTC()
	return nil
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// collect scans every row of rows with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// mapErr turns driver errors into the package's sentinels: no rows becomes
// ErrNotFound and a unique violation ErrConflict (both wrapping the cause).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if isUniqueViolation(err) {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return true
		}
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" // unique_violation
	}
	return false
}

// newID returns id, or a new random UUID when id is empty.
func newID(id string) string {
	if id != "" {
		return id
	}
	return uuid.NewString()
}
