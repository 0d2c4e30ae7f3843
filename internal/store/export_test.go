package store

import (
	"context"
	"fmt"
	"strings"
)

// QueryPlan returns the plan the database picks for query (neutral dialect,
// ? placeholders): EXPLAIN QUERY PLAN details on SQLite, EXPLAIN lines on
// Postgres with sequential scans disabled so that a usable index shows up
// even on tiny tables.
func QueryPlan(ctx context.Context, db *DB, query string, args ...any) (string, error) {
	var lines []string
	err := db.inTx(ctx, func(c conn) error {
		explain := "EXPLAIN QUERY PLAN "
		if db.dialect == DialectPostgres {
			if _, err := c.exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			explain = "EXPLAIN "
		}
		rows, err := c.query(ctx, explain+query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			// SQLite's detail is the last column; Postgres has one.
			lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}

// Exec runs a write statement (neutral dialect) for tests that need rows no
// method inserts yet.
func Exec(ctx context.Context, db *DB, query string, args ...any) error {
	_, err := db.writer().exec(ctx, query, args...)
	return err
}

// Count returns the number of rows of table whose column equals value.
func Count(ctx context.Context, db *DB, table, column, value string) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+column+` = ?`, value).Scan(&n)
	return n, err
}

// ListChatMessagesQuery returns the query and arguments ListChatMessages
// runs for filter.
func ListChatMessagesQuery(db *DB, filter ChatMessageFilter) (string, []any) {
	return db.listChatMessagesQuery(filter)
}

// SQLitePragmas returns the values of the given PRAGMAs as seen by a writer
// and by a reader connection.
func SQLitePragmas(ctx context.Context, db *DB, names ...string) (writer, reader map[string]string, err error) {
	read := func(c conn) (map[string]string, error) {
		out := map[string]string{}
		for _, n := range names {
			var v string
			if err := c.queryRow(ctx, "PRAGMA "+n).Scan(&v); err != nil {
				return nil, err
			}
			out[n] = v
		}
		return out, nil
	}
	if writer, err = read(db.writer()); err != nil {
		return nil, nil, err
	}
	reader, err = read(db.reader())
	return writer, reader, err
}
