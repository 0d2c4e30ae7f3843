package vectorstores

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/pgvector/pgvector-go"

	"github.com/floehq/floe/internal/llm"
)

// pgDistanceOps maps the postgres node's distance strategies to pgvector
// operators.
var pgDistanceOps = map[string]string{
	"cosine":       "<=>",
	"euclidean":    "<->",
	"innerProduct": "<#>",
}

// pgStore is a pgvector table with Flowise's layout ("id" uuid,
// "pageContent" text, metadata jsonb, embedding vector), so tables written
// by Flowise's Postgres node are readable and the other way round.
// Searches order by the chosen distance operator; scores are always cosine
// similarities. A metadata filter is JSON containment (metadata @> filter),
// and documents tagged with a flowise_chatId by File Upload are returned only
// to a filter naming that chat id, as in Flowise.
type pgStore struct {
	db    *sql.DB
	emb   llm.Embedder
	table string // quoted identifier
	op    string // pgvector distance operator

	mu    sync.Mutex // guards ready
	ready bool       // the extension and table exist
}

// ensureTable creates the vector extension and the table once.
func (s *pgStore) ensureTable(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return nil
	}
	// Concurrent creators race on the catalog; losing is harmless.
	if _, err := s.db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS vector`); err != nil && !isDuplicate(err) {
		return fmt.Errorf("creating the pgvector extension: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+s.table+` (
  "id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  "pageContent" text,
  metadata jsonb,
  embedding vector
)`); err != nil && !isDuplicate(err) {
		return fmt.Errorf("creating table %s: %w", s.table, err)
	}
	s.ready = true
	return nil
}

// AddDocuments implements [llm.VectorStore]. Ids must be UUIDs.
func (s *pgStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	for _, id := range ids {
		if !isUUID(id) {
			return nil, fmt.Errorf("document id %q is not a UUID, which the table's id column needs", id)
		}
	}
	clean := make([]llm.Document, len(docs))
	for i, d := range docs {
		d.PageContent = strings.ReplaceAll(d.PageContent, "\x00", "") // Postgres text cannot hold NUL
		clean[i] = d
	}
	ids, vecs, err := prepare(ctx, s.emb, clean, ids)
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	if err := s.ensureTable(ctx); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("adding documents: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	stmt := `INSERT INTO ` + s.table + ` ("id", "pageContent", metadata, embedding) VALUES ($1, $2, $3, $4)
ON CONFLICT ("id") DO UPDATE SET "pageContent" = EXCLUDED."pageContent", metadata = EXCLUDED.metadata, embedding = EXCLUDED.embedding`
	for i, id := range ids {
		meta, err := json.Marshal(docs[i].Metadata)
		if err != nil {
			return nil, fmt.Errorf("encoding metadata of document %d: %w", i, err)
		}
		if string(meta) == "null" {
			meta = []byte("{}")
		}
		if _, err := tx.ExecContext(ctx, stmt, id, clean[i].PageContent, string(meta), pgvector.NewVector(vecs[i])); err != nil {
			return nil, fmt.Errorf("adding document %d to %s: %w", i, s.table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("adding documents: %w", err)
	}
	return ids, nil
}

// Delete implements [llm.VectorStore]. Ids that are not UUIDs cannot be
// stored and are ignored.
func (s *pgStore) Delete(ctx context.Context, ids []string) error {
	var uuids []string
	for _, id := range ids {
		if isUUID(id) {
			uuids = append(uuids, id)
		}
	}
	if len(uuids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM `+s.table+` WHERE "id" = ANY($1::uuid[])`, "{"+strings.Join(uuids, ",")+"}")
	if isUndefinedTable(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting documents from %s: %w", s.table, err)
	}
	return nil
}

// SimilaritySearch implements [llm.VectorStore].
func (s *pgStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *pgStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

func (s *pgStore) search(ctx context.Context, query string, k int, f llm.Filter, withVectors bool) ([]float32, []hit, error) {
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	rest := maps.Clone(f)
	chatID, hasChat := rest[chatIDKey]
	delete(rest, chatIDKey)
	if rest == nil {
		rest = map[string]any{}
	}
	restJSON, err := json.Marshal(rest)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the metadata filter: %w", err)
	}
	vecCol := "NULL"
	if withVectors {
		vecCol = "embedding"
	}
	args := []any{pgvector.NewVector(q), string(restJSON), k}
	where := `(metadata @> $2::jsonb AND NOT (metadata ? '` + chatIDKey + `'))`
	if hasChat {
		chatJSON, _ := json.Marshal(map[string]any{chatIDKey: chatID})
		args = append(args, string(chatJSON))
		where += ` OR metadata @> $4::jsonb`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT "pageContent", metadata, 1 - (embedding <=> $1::vector), `+vecCol+`
FROM `+s.table+` WHERE `+where+` ORDER BY embedding `+s.op+` $1::vector LIMIT $3`, args...)
	if isUndefinedTable(err) {
		return q, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("searching %s: %w", s.table, err)
	}
	defer rows.Close()
	var hits []hit
	for rows.Next() {
		var content sql.NullString
		var meta []byte
		var score float64
		var vec pgvector.Vector
		var dest any = &vec
		if !withVectors {
			dest = new(any)
		}
		if err := rows.Scan(&content, &meta, &score, dest); err != nil {
			return nil, nil, fmt.Errorf("searching %s: %w", s.table, err)
		}
		var md map[string]any
		if len(meta) > 0 {
			if err := json.Unmarshal(meta, &md); err != nil {
				return nil, nil, fmt.Errorf("decoding metadata: %w", err)
			}
		}
		if len(md) == 0 {
			md = nil
		}
		hits = append(hits, hit{ScoredDocument: llm.ScoredDocument{Document: llm.Document{PageContent: content.String, Metadata: md}, Score: score}, vec: vec.Slice()})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("searching %s: %w", s.table, err)
	}
	return q, hits, nil
}

// isDuplicate reports a Postgres unique violation or duplicate object
// error, which concurrent CREATE ... IF NOT EXISTS statements can raise.
func isDuplicate(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P07" || pe.Code == "42710")
}

// isUndefinedTable reports a Postgres "relation does not exist" error.
func isUndefinedTable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42P01"
}

var (
	_ llm.VectorStore = (*pgStore)(nil)
	_ llm.MMRSearcher = (*pgStore)(nil)
)
