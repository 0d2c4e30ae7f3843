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
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// embeddedSchemaVersion is the version of embeddedSchema, recorded in the
// embedded_schema table so that a later version can migrate the file.
const embeddedSchemaVersion = 1

// embeddedSchema is the embedded store's durable storage: one row per
// document with its vector as little-endian float32. Searches run on an
// in-memory index (vecIndex) loaded from these rows.
const embeddedSchema = `
CREATE TABLE IF NOT EXISTS embedded_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS embedded_vectors (
  rowid INTEGER PRIMARY KEY,
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  content TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  dims INTEGER NOT NULL,
  vector BLOB NOT NULL,
  UNIQUE (collection, id)
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
			// page_size applies to a new file only: 64 KiB pages hold
			// ten 1536-dimension rows, so a bulk upsert writes ten times
			// fewer pages than with 4 KiB pages and overflow chains.
			// WAL: a rollback journal wrote a large upsert 2.6× faster
			// but, with 64 KiB pages, grew the process by ~140 KB per
			// small upsert (3,000 upserts: +250 MB, never returned);
			// journal_size_limit gives the WAL file back after a big
			// transaction's checkpoint. A small page cache: searches run
			// on the in-memory index, SQLite only loads and writes.
			"_pragma": {"page_size(65536)", "busy_timeout(60000)", "journal_mode(WAL)", "synchronous(NORMAL)", "cache_size(-4096)", "journal_size_limit(67108864)"},
			"_txlock": {"immediate"},
		}
		db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		db.SetMaxOpenConns(4)
		if err := migrateEmbedded(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("preparing the vector tables in %s: %w", path, err)
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

// migrateEmbedded creates the schema and records its version, refusing a
// file written by a newer server.
func migrateEmbedded(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, embeddedSchema); err != nil {
		return err
	}
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(version) FROM embedded_schema`).Scan(&v); err != nil {
		return err
	}
	version := int(v.Int64)
	switch {
	case !v.Valid:
		if _, err := tx.ExecContext(ctx, `INSERT INTO embedded_schema (version) VALUES (?)`, embeddedSchemaVersion); err != nil {
			return err
		}
	case version > embeddedSchemaVersion:
		return fmt.Errorf("schema version %d is newer than this server's %d", version, embeddedSchemaVersion)
	}
	return tx.Commit()
}

// embeddedIndex returns the in-memory index of a collection of the file at
// path, shared through rt.Memo by every node of the server (a private one
// without a memo).
func embeddedIndex(rt *node.Runtime, path, collection string) (*vecIndex, error) {
	if rt == nil || rt.Memo == nil {
		return newVecIndex(), nil
	}
	v, _ := rt.Memo.LoadOrStore("embedded/"+path+"/"+collection, newVecIndex())
	idx, ok := v.(*vecIndex)
	if !ok {
		return nil, fmt.Errorf("memo entry for collection %q holds %T", collection, v)
	}
	return idx, nil
}

// sqliteVecStore is one collection of the embedded store: rows in the
// embedded_vectors table, searched through an in-memory vecIndex.
type sqliteVecStore struct {
	db         *sql.DB
	emb        llm.Embedder
	collection string
	idx        *vecIndex
}

// load fills the index from the collection's rows unless done already.
func (s *sqliteVecStore) load(ctx context.Context) error {
	if s.idx.loaded.Load() {
		return nil
	}
	s.idx.writeMu.Lock()
	defer s.idx.writeMu.Unlock()
	if s.idx.loaded.Load() {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, content, metadata, vector FROM embedded_vectors WHERE collection = ? ORDER BY rowid`, s.collection)
	if err != nil {
		return fmt.Errorf("loading collection %q: %w", s.collection, err)
	}
	defer rows.Close()
	const batch = 4096
	var ids []string
	var docs []llm.Document
	var vecs [][]float32
	flush := func() error {
		err := s.idx.upsert(ids, docs, vecs)
		ids, docs, vecs = ids[:0], docs[:0], vecs[:0]
		return err
	}
	for rows.Next() {
		var id, content string
		var meta, blob []byte
		if err := rows.Scan(&id, &content, &meta, &blob); err != nil {
			return fmt.Errorf("loading collection %q: %w", s.collection, err)
		}
		md, err := decodeMetadata(meta)
		if err != nil {
			return fmt.Errorf("loading document %q of collection %q: %w", id, s.collection, err)
		}
		ids = append(ids, id)
		docs = append(docs, llm.Document{PageContent: content, Metadata: md})
		vecs = append(vecs, blobVec(blob))
		if len(ids) == batch {
			if err := flush(); err != nil {
				return fmt.Errorf("loading collection %q: %w", s.collection, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("loading collection %q: %w", s.collection, err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("loading collection %q: %w", s.collection, err)
	}
	s.idx.loaded.Store(true)
	return nil
}

func decodeMetadata(raw []byte) (map[string]any, error) {
	var md map[string]any
	if err := json.Unmarshal(raw, &md); err != nil {
		return nil, fmt.Errorf("decoding metadata: %w", err)
	}
	if len(md) == 0 {
		md = nil
	}
	return md, nil
}

// upsertChunk is how many documents AddDocuments embeds at a time: the
// next chunk is embedded while the previous one is written, and only two
// chunks of vectors are alive at once (unless the index is loaded and so
// keeps them).
const upsertChunk = 2048

// AddDocuments implements [llm.VectorStore]. The documents are embedded
// chunk by chunk, overlapping with the SQLite writes, all in one
// transaction: an embedding error or a cancelled request leaves the
// collection as it was. The index (when loaded) changes after the commit,
// in the same order.
func (s *sqliteVecStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	ids, err := docIDs(ids, len(docs))
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	metas := make([][]byte, len(docs))
	texts := make([]string, len(docs))
	for i, d := range docs {
		if metas[i], err = json.Marshal(d.Metadata); err != nil {
			return nil, fmt.Errorf("encoding metadata of document %d: %w", i, err)
		}
		if string(metas[i]) == "null" {
			metas[i] = []byte("{}")
		}
		texts[i] = d.PageContent
	}

	ctx, cancel := context.WithCancel(ctx)
	type part struct {
		lo   int
		vecs [][]float32
		err  error
	}
	parts := make(chan part, 1)
	// On any return, stop the embedder and wait for it: it must not call
	// the embedding service after AddDocuments returned.
	defer func() {
		cancel()
		for range parts {
		}
	}()
	go func() {
		defer close(parts)
		for lo := 0; lo < len(texts); lo += upsertChunk {
			vecs, err := embedAll(ctx, s.emb, texts[lo:min(lo+upsertChunk, len(texts))])
			select {
			case parts <- part{lo: lo, vecs: vecs, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()

	s.idx.writeMu.Lock()
	defer s.idx.writeMu.Unlock()
	keep := s.idx.loaded.Load()
	var all [][]float32
	if keep {
		all = make([][]float32, 0, len(docs))
	}
	w, err := s.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("adding documents to collection %q: %w", s.collection, err)
	}
	defer w.rollback()
	for p := range parts {
		if p.err != nil {
			return nil, p.err
		}
		if err := w.write(ctx, ids[p.lo:], docs[p.lo:], metas[p.lo:], p.vecs); err != nil {
			return nil, fmt.Errorf("adding documents to collection %q: %w", s.collection, err)
		}
		if keep {
			all = append(all, p.vecs...)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := w.commit(); err != nil {
		return nil, fmt.Errorf("adding documents to collection %q: %w", s.collection, err)
	}
	if !keep {
		return ids, nil // the first search loads the rows
	}
	stored := make([]llm.Document, len(docs))
	for i, d := range docs {
		md, err := decodeMetadata(metas[i])
		if err != nil {
			return nil, fmt.Errorf("adding document %q to collection %q: %w", ids[i], s.collection, err)
		}
		stored[i] = llm.Document{PageContent: d.PageContent, Metadata: md}
	}
	if err := s.idx.upsert(ids, stored, all); err != nil {
		return nil, fmt.Errorf("adding documents to collection %q: %w", s.collection, err)
	}
	return ids, nil
}

// vecWriter is one write transaction of a collection's rows.
type vecWriter struct {
	s    *sqliteVecStore
	tx   *sql.Tx
	stmt *sql.Stmt
	dim  int // the collection's dimension, 0 while it is empty
	blob []byte
}

func (s *sqliteVecStore) begin(ctx context.Context) (*vecWriter, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	w := &vecWriter{s: s, tx: tx}
	err = tx.QueryRowContext(ctx, `SELECT dims FROM embedded_vectors WHERE collection = ? LIMIT 1`, s.collection).Scan(&w.dim)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		tx.Rollback() //nolint:errcheck // reporting the first error
		return nil, err
	}
	w.stmt, err = tx.PrepareContext(ctx, `INSERT INTO embedded_vectors (collection, id, content, metadata, dims, vector) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (collection, id) DO UPDATE SET content = excluded.content, metadata = excluded.metadata, dims = excluded.dims, vector = excluded.vector`)
	if err != nil {
		tx.Rollback() //nolint:errcheck // reporting the first error
		return nil, err
	}
	return w, nil
}

// write inserts or replaces len(vecs) rows.
func (w *vecWriter) write(ctx context.Context, ids []string, docs []llm.Document, metas [][]byte, vecs [][]float32) error {
	if len(vecs) == 0 {
		return nil
	}
	dim := len(vecs[0])
	switch {
	case w.dim == 0:
		w.dim = dim
	case w.dim != dim:
		return fmt.Errorf("the embeddings have dimension %d but the collection holds dimension %d: use another collection name for these embeddings", dim, w.dim)
	}
	if len(w.blob) != 4*dim {
		w.blob = make([]byte, 4*dim)
	}
	for i, v := range vecs {
		if len(v) != dim {
			return fmt.Errorf("vector of document %q has dimension %d, want %d", ids[i], len(v), dim)
		}
		putVec(w.blob, v)
		if _, err := w.stmt.ExecContext(ctx, w.s.collection, ids[i], docs[i].PageContent, string(metas[i]), dim, w.blob); err != nil {
			return fmt.Errorf("writing document %q: %w", ids[i], err)
		}
	}
	return nil
}

func (w *vecWriter) commit() error {
	w.stmt.Close()
	return w.tx.Commit()
}

// rollback undoes an uncommitted transaction (a no-op after commit).
func (w *vecWriter) rollback() {
	w.stmt.Close()
	_ = w.tx.Rollback()
}

// Delete implements [llm.VectorStore].
func (s *sqliteVecStore) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	s.idx.writeMu.Lock()
	defer s.idx.writeMu.Unlock()
	if err := s.remove(ctx, ids); err != nil {
		return fmt.Errorf("deleting documents of collection %q: %w", s.collection, err)
	}
	if s.idx.loaded.Load() {
		s.idx.delete(ids)
	}
	return nil
}

func (s *sqliteVecStore) remove(ctx context.Context, ids []string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	stmt, err := tx.PrepareContext(ctx, `DELETE FROM embedded_vectors WHERE collection = ? AND id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err := stmt.ExecContext(ctx, s.collection, id); err != nil {
			return fmt.Errorf("deleting document %q: %w", id, err)
		}
	}
	return tx.Commit()
}

// SimilaritySearch implements [llm.VectorStore].
func (s *sqliteVecStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *sqliteVecStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

// search implements hitSearcher over the in-memory index.
func (s *sqliteVecStore) search(ctx context.Context, query string, k int, f llm.Filter, withVectors bool) ([]float32, []hit, error) {
	if err := s.load(ctx); err != nil {
		return nil, nil, err
	}
	if k <= 0 || s.idx.len() == 0 {
		return nil, nil, nil
	}
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	hits, err := s.idx.search(q, k, f, withVectors)
	if err != nil {
		return nil, nil, fmt.Errorf("searching collection %q: %w", s.collection, err)
	}
	return q, hits, nil
}

// putVec encodes v as little-endian float32 into b (len 4·len(v)).
func putVec(b []byte, v []float32) {
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
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
