package vectorstores

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "modernc.org/sqlite"     // the "sqlite" database/sql driver
	_ "modernc.org/sqlite/vec" // sqlite-vec's vec0 tables and vec_* functions

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// vecSchema is the embedded store's fixed schema. Vectors live in one vec0
// table per dimension (vec_<dim>), partitioned by collection and keyed by
// the documents row's rowid.
const vecSchema = `
CREATE TABLE IF NOT EXISTS collections (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  dimension INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS documents (
  rowid INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL REFERENCES collections(id),
  id TEXT NOT NULL,
  content TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  UNIQUE (collection_id, id)
);`

// sqliteDB is a database handle shared through the server memo, opened
// once per file.
type sqliteDB struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// openVectorDB opens (or, through rt.Memo, reuses) the SQLite file at path
// with the embedded store's schema. The returned close function closes a
// handle that is not shared and does nothing otherwise.
func openVectorDB(ctx context.Context, rt *node.Runtime, path string) (*sql.DB, func(context.Context) error, error) {
	open := func() (*sql.DB, error) {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("creating the data directory: %w", err)
		}
		q := url.Values{
			"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"},
			"_txlock": {"immediate"},
		}
		db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		db.SetMaxOpenConns(8)
		if _, err := db.ExecContext(ctx, vecSchema); err != nil {
			db.Close()
			return nil, fmt.Errorf("creating the vector tables in %s: %w", path, err)
		}
		return db, nil
	}
	if rt == nil || rt.Memo == nil {
		db, err := open()
		if err != nil {
			return nil, nil, err
		}
		return db, func(context.Context) error { return db.Close() }, nil
	}
	v, _ := rt.Memo.LoadOrStore("vectorstores/sqlite:"+path, &sqliteDB{})
	shared, ok := v.(*sqliteDB)
	if !ok {
		return nil, nil, fmt.Errorf("memo entry for %s holds %T", path, v)
	}
	shared.once.Do(func() { shared.db, shared.err = open() })
	return shared.db, func(context.Context) error { return nil }, shared.err
}

// sqliteVecStore is one collection of the embedded store: documents in the
// documents table, vectors in a sqlite-vec vec0 table with cosine distance.
type sqliteVecStore struct {
	db         *sql.DB
	emb        llm.Embedder
	collection string
}

// collectionInfo returns the collection's id and dimension; id 0 when it
// does not exist.
func (s *sqliteVecStore) collectionInfo(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
},
) (id int64, dim int, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, dimension FROM collections WHERE name = ?`, s.collection).Scan(&id, &dim)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return id, dim, err
}

// AddDocuments implements [llm.VectorStore].
func (s *sqliteVecStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	ids, vecs, err := prepare(ctx, s.emb, docs, ids)
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("adding documents: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := s.write(ctx, tx, ids, docs, vecs); err != nil {
		return nil, fmt.Errorf("adding documents to collection %q: %w", s.collection, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("adding documents: %w", err)
	}
	return ids, nil
}

func (s *sqliteVecStore) write(ctx context.Context, tx *sql.Tx, ids []string, docs []llm.Document, vecs [][]float32) error {
	dim := len(vecs[0])
	cid, have, err := s.collectionInfo(ctx, tx)
	if err != nil {
		return err
	}
	switch {
	case cid == 0:
		if err := tx.QueryRowContext(ctx, `INSERT INTO collections (name, dimension) VALUES (?, ?) RETURNING id`, s.collection, dim).Scan(&cid); err != nil {
			return err
		}
	case have == 0:
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET dimension = ? WHERE id = ?`, dim, cid); err != nil {
			return err
		}
	case have != dim:
		return fmt.Errorf("the embeddings have dimension %d but the collection holds dimension %d: use another collection name for these embeddings", dim, have)
	}
	table := vecTable(dim)
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(
		`CREATE VIRTUAL TABLE IF NOT EXISTS %s USING vec0(collection_id integer partition key, embedding float[%d] distance_metric=cosine)`,
		table, dim)); err != nil {
		return err
	}
	for i, id := range ids {
		meta, err := json.Marshal(docs[i].Metadata)
		if err != nil {
			return fmt.Errorf("encoding metadata of document %d: %w", i, err)
		}
		if string(meta) == "null" {
			meta = []byte("{}")
		}
		var rowid int64
		err = tx.QueryRowContext(ctx, `SELECT rowid FROM documents WHERE collection_id = ? AND id = ?`, cid, id).Scan(&rowid)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, `INSERT INTO documents (collection_id, id, content, metadata) VALUES (?, ?, ?, ?) RETURNING rowid`,
				cid, id, docs[i].PageContent, string(meta)).Scan(&rowid); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (rowid, collection_id, embedding) VALUES (?, ?, ?)`, rowid, cid, vecBlob(vecs[i])); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET content = ?, metadata = ? WHERE rowid = ?`, docs[i].PageContent, string(meta), rowid); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET embedding = ? WHERE rowid = ?`, vecBlob(vecs[i]), rowid); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete implements [llm.VectorStore].
func (s *sqliteVecStore) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("deleting documents: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	cid, dim, err := s.collectionInfo(ctx, tx)
	if err != nil || cid == 0 || dim == 0 {
		return err
	}
	for _, id := range ids {
		var rowid int64
		err := tx.QueryRowContext(ctx, `DELETE FROM documents WHERE collection_id = ? AND id = ? RETURNING rowid`, cid, id).Scan(&rowid)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("deleting document %q: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+vecTable(dim)+` WHERE rowid = ?`, rowid); err != nil {
			return fmt.Errorf("deleting document %q: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("deleting documents: %w", err)
	}
	return nil
}

// SimilaritySearch implements [llm.VectorStore].
func (s *sqliteVecStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *sqliteVecStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

// search returns the query vector and the k closest documents matching f,
// with their vectors when withVectors is set. Without a filter it runs a
// vec0 KNN query; with one it narrows the collection with SQL JSON
// conditions and ranks the rest exactly.
func (s *sqliteVecStore) search(ctx context.Context, query string, k int, f llm.Filter, withVectors bool) ([]float32, []hit, error) {
	cid, dim, err := s.collectionInfo(ctx, s.db)
	if err != nil {
		return nil, nil, fmt.Errorf("searching collection %q: %w", s.collection, err)
	}
	if cid == 0 || dim == 0 || k <= 0 {
		return nil, nil, nil
	}
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	if len(q) != dim {
		return nil, nil, fmt.Errorf("the query vector has dimension %d but collection %q holds dimension %d: were the embeddings changed since the upsert?", len(q), s.collection, dim)
	}
	table, vecCol := vecTable(dim), "NULL"
	var stmt string
	var args []any
	if len(f) == 0 {
		if withVectors {
			vecCol = "knn.embedding"
		}
		stmt = `WITH knn AS (SELECT rowid, distance, embedding FROM ` + table + ` WHERE embedding MATCH ? AND k = ? AND collection_id = ?)
SELECT d.content, d.metadata, knn.distance, ` + vecCol + ` FROM knn JOIN documents d ON d.rowid = knn.rowid ORDER BY knn.distance`
		args = []any{vecBlob(q), min(k, maxKNN), cid}
	} else {
		if withVectors {
			vecCol = "v.embedding"
		}
		conds, condArgs, exact := sqlFilter(f)
		stmt = `SELECT d.content, d.metadata, vec_distance_cosine(v.embedding, ?) AS dist, ` + vecCol + `
FROM documents d JOIN ` + table + ` v ON v.rowid = d.rowid WHERE d.collection_id = ?` + conds + ` ORDER BY dist`
		args = append([]any{vecBlob(q), cid}, condArgs...)
		if exact {
			stmt += ` LIMIT ?`
			args = append(args, k)
		}
	}
	rows, err := s.db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("searching collection %q: %w", s.collection, err)
	}
	defer rows.Close()
	var hits []hit
	for rows.Next() && len(hits) < k {
		var content, meta string
		var dist float64
		var blob []byte
		if err := rows.Scan(&content, &meta, &dist, &blob); err != nil {
			return nil, nil, fmt.Errorf("searching collection %q: %w", s.collection, err)
		}
		var md map[string]any
		if err := json.Unmarshal([]byte(meta), &md); err != nil {
			return nil, nil, fmt.Errorf("decoding metadata: %w", err)
		}
		if len(md) == 0 {
			md = nil
		}
		if !matches(md, f) {
			continue
		}
		hits = append(hits, hit{ScoredDocument: llm.ScoredDocument{Document: llm.Document{PageContent: content, Metadata: md}, Score: 1 - dist}, vec: blobVec(blob)})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("searching collection %q: %w", s.collection, err)
	}
	return q, hits, nil
}

// sqlFilter translates f into SQL conditions on documents.metadata (" AND
// ..."), and reports whether they select exactly the matching rows. Values
// it cannot express (objects, arrays, unusual keys) are left to the
// in-process check.
func sqlFilter(f llm.Filter) (string, []any, bool) {
	var b strings.Builder
	var args []any
	exact := true
	for key, v := range f {
		if strings.ContainsAny(key, `"\`) {
			exact = false
			continue
		}
		path := `$."` + key + `"`
		if n, ok := number(v); ok {
			b.WriteString(` AND json_type(d.metadata, ?) IN ('integer', 'real') AND json_extract(d.metadata, ?) = ?`)
			args = append(args, path, path, n)
			continue
		}
		switch x := v.(type) {
		case string:
			b.WriteString(` AND json_type(d.metadata, ?) = 'text' AND json_extract(d.metadata, ?) = ?`)
			args = append(args, path, path, x)
		case bool:
			b.WriteString(` AND json_type(d.metadata, ?) = ?`)
			args = append(args, path, fmt.Sprint(x))
		case nil:
			b.WriteString(` AND json_type(d.metadata, ?) = 'null'`)
			args = append(args, path)
		default:
			exact = false
		}
	}
	return b.String(), args, exact
}

// maxKNN is the largest k sqlite-vec accepts in a KNN query.
const maxKNN = 4096

// vecTable names the vec0 table of a dimension.
func vecTable(dim int) string { return fmt.Sprintf("vec_%d", dim) }

// vecBlob encodes v in sqlite-vec's float32 format.
func vecBlob(v []float32) []byte {
	out := make([]byte, 0, 4*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
	}
	return out
}

func blobVec(b []byte) []float32 {
	if len(b) == 0 {
		return nil
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

var (
	_ llm.VectorStore = (*sqliteVecStore)(nil)
	_ llm.MMRSearcher = (*sqliteVecStore)(nil)
)
