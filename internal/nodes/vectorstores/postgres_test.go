package vectorstores

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

// pgvectorInputs returns the postgres node's connection inputs for the
// database named by FLOE_TEST_PGVECTOR_URL, skipping the test when it is not
// set: the Postgres of the development and CI machines has no pgvector.
func pgvectorInputs(t *testing.T) map[string]any {
	t.Helper()
	raw := os.Getenv("FLOE_TEST_PGVECTOR_URL")
	if raw == "" {
		t.Skip("FLOE_TEST_PGVECTOR_URL is not set: set it to a Postgres URL whose server has the pgvector extension to run this test")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parsing FLOE_TEST_PGVECTOR_URL: %v", err)
	}
	db, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatalf("opening %s: %v", u.Redacted(), err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), "CREATE EXTENSION IF NOT EXISTS vector"); err != nil {
		t.Fatalf("FLOE_TEST_PGVECTOR_URL is set but pgvector is unusable there: %v", err)
	}
	password, _ := u.User.Password()
	in := map[string]any{
		"host": u.Hostname(), "port": u.Port(), "database": strings.TrimPrefix(u.Path, "/"),
		"user": u.User.Username(), "password": password, "ssl": u.Query().Get("sslmode") == "verify-full",
	}
	return in
}

// tempTable names a table unique to the test and drops it at the end.
func tempTable(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("floe_test_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		db, err := sql.Open("pgx", os.Getenv("FLOE_TEST_PGVECTOR_URL"))
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.ExecContext(context.Background(), `DROP TABLE IF EXISTS "`+name+`"`)
	})
	return name
}

func initPG(t *testing.T, inputs map[string]any, output string, rt *node.Runtime) any {
	t.Helper()
	inst, err := postgres.Init(t.Context(), &node.Data{ID: "postgres_0", Inputs: inputs, Outputs: map[string]any{"output": output}}, rt)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	t.Cleanup(func() { _ = inst.(interface{ Close(context.Context) error }).Close(context.Background()) })
	return inst
}

func TestPostgresConformance(t *testing.T) {
	base := pgvectorInputs(t)
	llmtest.TestVectorStore(t, func(t *testing.T, emb llm.Embedder) llm.VectorStore {
		in := map[string]any{"embeddings": emb, "tableName": tempTable(t)}
		for k, v := range base {
			in[k] = v
		}
		return initPG(t, in, "vectorStore", &node.Runtime{}).(llm.VectorStore)
	}, chatStores(postgres.Init, "", func(t *testing.T, _ llm.Embedder) (map[string]any, node.Runtime) {
		return mergeInputs(base, map[string]any{"tableName": tempTable(t)}), node.Runtime{}
	}))
}

func TestPostgresFileUpload(t *testing.T) {
	base := pgvectorInputs(t)
	emb := &llmtest.SuiteEmbedder{}
	table := tempTable(t)
	inputs := func(extra map[string]any) map[string]any {
		in := map[string]any{"embeddings": emb, "tableName": table, "fileUpload": true}
		for k, v := range base {
			in[k] = v
		}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	shared := initPG(t, inputs(map[string]any{"fileUpload": false, "document": []any{[]llm.Document{{PageContent: "shared cats"}}}}), "vectorStore", &node.Runtime{Upsert: true})
	if _, err := shared.(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	mine := initPG(t, inputs(map[string]any{"document": []any{[]llm.Document{{PageContent: "uploaded cats"}}}}), "vectorStore", &node.Runtime{ChatID: "chat1", Upsert: true})
	if _, err := mine.(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	for chat, want := range map[string]int{"chat1": 2, "chat2": 1} {
		docs, err := initPG(t, inputs(nil), "retriever", &node.Runtime{ChatID: chat}).(llm.Retriever).Retrieve(t.Context(), "cats")
		if err != nil || len(docs) != want {
			t.Errorf("chat %s: Retrieve = %v, %v; want %d documents", chat, docs, err, want)
		}
	}
}
