// Package storetest opens throwaway [store.DB] databases for tests: a
// temporary SQLite file, or a private schema in the Postgres server named by
// FLOE_TEST_POSTGRES_URL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/floehq/floe/internal/store"
)

// DefaultPostgresURL is used when FLOE_TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects returns the database types every store-backed test should run
// against.
func Dialects() []string { return []string{store.DialectSQLite, store.DialectPostgres} }

// Open returns a fresh, migrated, empty database of the given dialect that
// is closed (and, for Postgres, dropped) when the test ends.
//
// "sqlite" uses a file in t.TempDir(). "postgres" connects to
// FLOE_TEST_POSTGRES_URL (default [DefaultPostgresURL]), creates a uniquely
// named schema and opens the store with search_path set to it, so parallel
// tests and packages never see each other's rows. When Postgres is
// unreachable the test is skipped, or fails if FLOE_REQUIRE_SERVICES=1.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	var opts store.Options
	switch dialect {
	case store.DialectSQLite:
		opts = store.Options{Type: store.DialectSQLite, SQLitePath: filepath.Join(t.TempDir(), "floe.db")}
	case store.DialectPostgres:
		opts = store.Options{Type: store.DialectPostgres, PostgresDSN: postgresSchema(t)}
	default:
		t.Fatalf("storetest: unknown dialect %q", dialect)
	}
	db, err := store.Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("storetest: opening %s store: %v", dialect, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("storetest: closing %s store: %v", dialect, err)
		}
	})
	return db
}

// postgresSchema creates a fresh schema, registers its removal with
// t.Cleanup and returns a DSN whose search_path is that schema.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("FLOE_TEST_POSTGRES_URL")
	if base == "" {
		base = DefaultPostgresURL
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		unavailable(t, base, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		unavailable(t, base, err)
	}
	schema := "floe_test_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		_ = admin.Close()
		t.Fatalf("storetest: creating schema %s: %v", schema, err)
	}
	// Registered before Open's cleanup, so it runs after the store is closed.
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("storetest: dropping schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, base, schema)
}

// withSearchPath adds search_path=schema to a URL or key=value DSN.
func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("storetest: parsing FLOE_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func unavailable(t testing.TB, dsn string, err error) {
	t.Helper()
	msg := "storetest: postgres at " + redact(dsn) + " is unavailable (" + err.Error() +
		"); set FLOE_TEST_POSTGRES_URL to a reachable server"
	if os.Getenv("FLOE_REQUIRE_SERVICES") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// redact hides the password of a URL DSN.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return "FLOE_TEST_POSTGRES_URL"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
