package recordmanager

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/floehq/floe/internal/llm"
)

// dialect is the SQL flavour of a record table.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// chunk bounds the keys of one statement.
const chunk = 500

// records is an [llm.RecordManager] over a SQL table with the layout of
// Flowise's SQLite and Postgres record managers (key, namespace,
// updated_at as epoch seconds, group_id, doc_id; unique per key and
// namespace), so tables are shared with Flowise. A key's group is set when
// the key is first recorded.
type records struct {
	db        *sql.DB
	dialect   dialect
	table     string // unquoted, sanitised
	namespace string
	opts      llm.IndexOptions
	schema    *schema
	// closeFn releases db; nil on scoped copies, which share it.
	closeFn func(context.Context) error
}

// schema creates a table once, retrying after a failure.
type schema struct {
	mu    sync.Mutex // guards ready
	ready bool
}

func (r *records) ensure(ctx context.Context) error {
	r.schema.mu.Lock()
	defer r.schema.mu.Unlock()
	if r.schema.ready {
		return nil
	}
	idType, idDefault, timeType := "TEXT", "(lower(hex(randomblob(16))))", "REAL"
	if r.dialect == dialectPostgres {
		idType, idDefault, timeType = "UUID", "gen_random_uuid()", "DOUBLE PRECISION"
	}
	t := r.quoted()
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS ` + t + ` (
  uuid ` + idType + ` PRIMARY KEY DEFAULT ` + idDefault + `,
  key TEXT NOT NULL,
  namespace TEXT NOT NULL,
  updated_at ` + timeType + ` NOT NULL,
  group_id TEXT,
  doc_id TEXT,
  UNIQUE (key, namespace)
)`,
	}
	for _, col := range []string{"updated_at", "key", "namespace", "group_id"} {
		stmts = append(stmts, `CREATE INDEX IF NOT EXISTS "`+r.table+`_`+col+`_index" ON `+t+` (`+col+`)`)
	}
	for _, s := range stmts {
		if _, err := r.db.ExecContext(ctx, s); err != nil && !r.duplicate(err) {
			return fmt.Errorf("creating record table %s: %w", r.table, err)
		}
	}
	r.schema.ready = true
	return nil
}

func (r *records) quoted() string { return `"` + r.table + `"` }

// duplicate reports an error of concurrent CREATE ... IF NOT EXISTS
// statements racing in Postgres.
func (r *records) duplicate(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P07")
}

// bind rewrites ? placeholders as $n for Postgres.
func (r *records) bind(q string) string {
	if r.dialect != dialectPostgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Scoped implements [llm.NamespaceScoper].
func (r *records) Scoped(name string) llm.RecordManager {
	c := *r
	c.namespace = r.namespace + "_" + name
	c.closeFn = nil
	return &c
}

// IndexOptions implements [llm.IndexOptionsProvider].
func (r *records) IndexOptions() llm.IndexOptions { return r.opts }

// Close releases the database connection.
func (r *records) Close(ctx context.Context) error {
	if r.closeFn == nil {
		return nil
	}
	return r.closeFn(ctx)
}

// Now implements [llm.RecordManager]: the database's clock for Postgres
// (as Flowise), the process clock for SQLite, to the microsecond.
func (r *records) Now(ctx context.Context) (time.Time, error) {
	if r.dialect != dialectPostgres {
		return time.Now().Truncate(time.Microsecond), nil
	}
	var epoch float64
	if err := r.db.QueryRowContext(ctx, `SELECT EXTRACT(EPOCH FROM CURRENT_TIMESTAMP)::float8`).Scan(&epoch); err != nil {
		return time.Time{}, fmt.Errorf("reading the database time: %w", err)
	}
	return fromEpoch(epoch), nil
}

// Update implements [llm.RecordManager].
func (r *records) Update(ctx context.Context, keys, groupIDs []string, at time.Time) error {
	if groupIDs != nil && len(groupIDs) != len(keys) {
		return fmt.Errorf("record manager: %d keys but %d group ids", len(keys), len(groupIDs))
	}
	if len(keys) == 0 {
		return nil
	}
	if err := r.ensure(ctx); err != nil {
		return err
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("recording keys: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	stmt := r.bind(`INSERT INTO ` + r.quoted() + ` (key, namespace, updated_at, group_id) VALUES (?, ?, ?, ?)
ON CONFLICT (key, namespace) DO UPDATE SET updated_at = excluded.updated_at`)
	for i, k := range keys {
		var group any
		if groupIDs != nil && groupIDs[i] != "" {
			group = groupIDs[i]
		}
		if _, err := tx.ExecContext(ctx, stmt, k, r.namespace, toEpoch(at), group); err != nil {
			return fmt.Errorf("recording keys: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("recording keys: %w", err)
	}
	return nil
}

// Exists implements [llm.RecordManager].
func (r *records) Exists(ctx context.Context, keys []string) ([]bool, error) {
	out := make([]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	if err := r.ensure(ctx); err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for part := range slices.Chunk(keys, chunk) {
		got, err := r.keys(ctx, `SELECT key FROM `+r.quoted()+` WHERE namespace = ? AND key IN (`+marks(len(part))+`)`, append([]any{r.namespace}, anys(part)...))
		if err != nil {
			return nil, fmt.Errorf("checking keys: %w", err)
		}
		for _, k := range got {
			found[k] = true
		}
	}
	for i, k := range keys {
		out[i] = found[k]
	}
	return out, nil
}

// ListKeys implements [llm.RecordManager].
func (r *records) ListKeys(ctx context.Context, before time.Time, groupIDs []string) ([]string, error) {
	if groupIDs != nil && len(groupIDs) == 0 {
		return nil, nil
	}
	if err := r.ensure(ctx); err != nil {
		return nil, err
	}
	q := `SELECT key FROM ` + r.quoted() + ` WHERE namespace = ?`
	args := []any{r.namespace}
	if !before.IsZero() {
		q += ` AND updated_at < ?`
		args = append(args, toEpoch(before))
	}
	if groupIDs == nil {
		keys, err := r.keys(ctx, q, args)
		if err != nil {
			return nil, fmt.Errorf("listing keys: %w", err)
		}
		return keys, nil
	}
	var out []string
	for part := range slices.Chunk(groupIDs, chunk) {
		keys, err := r.keys(ctx, q+` AND group_id IN (`+marks(len(part))+`)`, append(slices.Clone(args), anys(part)...))
		if err != nil {
			return nil, fmt.Errorf("listing keys: %w", err)
		}
		out = append(out, keys...)
	}
	return out, nil
}

// DeleteKeys implements [llm.RecordManager].
func (r *records) DeleteKeys(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if err := r.ensure(ctx); err != nil {
		return err
	}
	for part := range slices.Chunk(keys, chunk) {
		q := `DELETE FROM ` + r.quoted() + ` WHERE namespace = ? AND key IN (` + marks(len(part)) + `)`
		if _, err := r.db.ExecContext(ctx, r.bind(q), append([]any{r.namespace}, anys(part)...)...); err != nil {
			return fmt.Errorf("deleting keys: %w", err)
		}
	}
	return nil
}

// keys runs a query selecting one text column.
func (r *records) keys(ctx context.Context, q string, args []any) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, r.bind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// toEpoch and fromEpoch convert times to and from the epoch seconds stored
// in updated_at, to the microsecond.
func toEpoch(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func fromEpoch(f float64) time.Time { return time.UnixMicro(int64(math.Round(f * 1e6))) }

// errNoDataDir reports a record manager that needs the data directory.
var errNoDataDir = errors.New("recordmanager: the server has no data directory")

var (
	_ llm.RecordManager        = (*records)(nil)
	_ llm.NamespaceScoper      = (*records)(nil)
	_ llm.IndexOptionsProvider = (*records)(nil)
)
