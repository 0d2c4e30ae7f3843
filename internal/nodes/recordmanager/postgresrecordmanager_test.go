package recordmanager

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

// postgresInputs returns the node inputs for the loopback Postgres of the
// development and CI machines (FLOE_TEST_POSTGRES_URL overrides it). It
// skips when the server is unreachable, unless FLOE_REQUIRE_SERVICES=1.
func postgresInputs(t *testing.T) (map[string]any, string) {
	t.Helper()
	raw := os.Getenv("FLOE_TEST_POSTGRES_URL")
	if raw == "" {
		raw = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parsing FLOE_TEST_POSTGRES_URL: %v", err)
	}
	db, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatalf("opening %s: %v", u.Redacted(), err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		if os.Getenv("FLOE_REQUIRE_SERVICES") == "1" {
			t.Fatalf("Postgres at %s is unreachable and FLOE_REQUIRE_SERVICES=1: %v", u.Redacted(), err)
		}
		t.Skipf("Postgres at %s is unreachable (%v): start it or set FLOE_TEST_POSTGRES_URL", u.Redacted(), err)
	}
	password, _ := u.User.Password()
	return map[string]any{
		"host": u.Hostname(), "port": u.Port(), "database": strings.TrimPrefix(u.Path, "/"),
		"user": u.User.Username(), "password": password,
	}, raw
}

func TestPostgresRecordManagerConformance(t *testing.T) {
	base, raw := postgresInputs(t)
	n := 0
	llmtest.TestRecordManager(t, func(t *testing.T) llm.RecordManager {
		n++
		table := fmt.Sprintf("floe_test_records_%d_%d", time.Now().UnixNano(), n)
		t.Cleanup(func() {
			db, err := sql.Open("pgx", raw)
			if err != nil {
				return
			}
			defer db.Close()
			_, _ = db.ExecContext(context.Background(), `DROP TABLE IF EXISTS "`+table+`"`)
		})
		in := map[string]any{"tableName": table}
		for k, v := range base {
			in[k] = v
		}
		return initRM(t, postgresRecordManager, in, &node.Runtime{ChatflowID: "flow1"})
	})
}
