// Package chromatest is an in-memory Chroma for tests: an httptest server
// answering the v2 (and, when asked, only the v1) REST calls of package
// chroma with Chroma's wire format, where clauses included.
package chromatest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
)

// Server is a fake Chroma. It is closed when the test ends.
type Server struct {
	*httptest.Server
	// Token, when set, must arrive in the x-chroma-token header.
	Token string
	// V1Only makes the server answer 404 to v2 paths, as Chroma 0.5 does.
	V1Only bool

	mu          sync.Mutex // guards collections
	collections map[string]*collection
	nextID      atomic.Int64
}

type collection struct {
	id, key string // key is tenant/database/name
	name    string
	space   string // l2, cosine or ip
	records map[string]record
	order   []string
}

type record struct {
	id        string
	document  string
	metadata  map[string]any
	embedding []float64
}

// New starts a fake Chroma.
func New(t interface{ Cleanup(func()) }) *Server {
	s := &Server{collections: map[string]*collection{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2/tenants/{tenant}/databases/{database}/collections", s.v2(s.createCollection))
	mux.HandleFunc("POST /api/v2/tenants/{tenant}/databases/{database}/collections/{id}/{op}", s.v2(s.records))
	mux.HandleFunc("POST /api/v1/collections", s.createCollection)
	mux.HandleFunc("POST /api/v1/collections/{id}/{op}", s.records)
	s.Server = httptest.NewServer(s.auth(mux))
	t.Cleanup(s.Close)
	return s
}

// Count returns how many records the named collection holds, in any
// tenant and database.
func (s *Server) Count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.collections {
		if c.name == name {
			n += len(c.records)
		}
	}
	return n
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Token != "" && r.Header.Get("x-chroma-token") != s.Token {
			fail(w, http.StatusUnauthorized, "AuthError", "Unauthorized")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) v2(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.V1Only {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": kind, "message": msg})
}

func (s *Server) createCollection(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name        string         `json:"name"`
		Metadata    map[string]any `json:"metadata"`
		GetOrCreate bool           `json:"get_or_create"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "InvalidArgumentError", err.Error())
		return
	}
	tenant, database := r.PathValue("tenant"), r.PathValue("database")
	if tenant == "" {
		tenant, database = r.URL.Query().Get("tenant"), r.URL.Query().Get("database")
	}
	key := tenant + "/" + database + "/" + body.Name
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.collections {
		if c.key != key {
			continue
		}
		if !body.GetOrCreate {
			fail(w, http.StatusConflict, "UniqueConstraintError", fmt.Sprintf("Collection %s already exists", body.Name))
			return
		}
		reply(w, map[string]any{"id": c.id, "name": c.name, "tenant": tenant, "database": database})
		return
	}
	space, _ := body.Metadata["hnsw:space"].(string)
	if space == "" {
		space = "l2"
	}
	c := &collection{id: fmt.Sprintf("00000000-0000-4000-8000-%012d", s.nextID.Add(1)), key: key, name: body.Name, space: space, records: map[string]record{}}
	s.collections[c.id] = c
	reply(w, map[string]any{"id": c.id, "name": c.name, "tenant": tenant, "database": database, "metadata": body.Metadata})
}

func (s *Server) records(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.collections[r.PathValue("id")]
	if c == nil {
		fail(w, http.StatusNotFound, "NotFoundError", fmt.Sprintf("Collection %s does not exist", r.PathValue("id")))
		return
	}
	dec := json.NewDecoder(r.Body)
	switch r.PathValue("op") {
	case "upsert", "add":
		s.upsert(w, dec, c)
	case "query":
		s.query(w, dec, c)
	case "delete":
		var body struct {
			IDs   []string       `json:"ids"`
			Where map[string]any `json:"where"`
		}
		if err := dec.Decode(&body); err != nil {
			fail(w, http.StatusBadRequest, "InvalidArgumentError", err.Error())
			return
		}
		for _, id := range body.IDs {
			delete(c.records, id)
		}
		if body.Where != nil {
			for id, rec := range c.records {
				if where(body.Where, rec.metadata) {
					delete(c.records, id)
				}
			}
		}
		reply(w, nil)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) upsert(w http.ResponseWriter, dec *json.Decoder, c *collection) {
	var body struct {
		IDs        []string         `json:"ids"`
		Embeddings [][]float64      `json:"embeddings"`
		Metadatas  []map[string]any `json:"metadatas"`
		Documents  []string         `json:"documents"`
	}
	if err := dec.Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "InvalidArgumentError", err.Error())
		return
	}
	n := len(body.IDs)
	if len(body.Embeddings) != n || (body.Metadatas != nil && len(body.Metadatas) != n) || (body.Documents != nil && len(body.Documents) != n) {
		fail(w, http.StatusBadRequest, "InvalidArgumentError", "Unequal lengths for fields: ids, embeddings, metadatas, documents")
		return
	}
	for i, id := range body.IDs {
		var md map[string]any
		if body.Metadatas != nil {
			md = body.Metadatas[i]
		}
		for k, v := range md {
			switch v.(type) {
			case string, float64, bool, nil:
			default:
				fail(w, http.StatusBadRequest, "InvalidArgumentError", fmt.Sprintf("Expected metadata value for key %q to be a str, int, float, bool or None, got %T", k, v))
				return
			}
		}
		for _, e := range c.records {
			if len(e.embedding) != len(body.Embeddings[i]) {
				fail(w, http.StatusBadRequest, "InvalidArgumentError", fmt.Sprintf("Collection expecting embedding with dimension of %d, got %d", len(e.embedding), len(body.Embeddings[i])))
				return
			}
			break
		}
		doc := ""
		if body.Documents != nil {
			doc = body.Documents[i]
		}
		if _, exists := c.records[id]; !exists {
			c.order = append(c.order, id)
		}
		c.records[id] = record{id: id, document: doc, metadata: md, embedding: body.Embeddings[i]}
	}
	reply(w, true)
}

func (s *Server) query(w http.ResponseWriter, dec *json.Decoder, c *collection) {
	var body struct {
		QueryEmbeddings [][]float64    `json:"query_embeddings"`
		NResults        int            `json:"n_results"`
		Where           map[string]any `json:"where"`
		Include         []string       `json:"include"`
	}
	if err := dec.Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "InvalidArgumentError", err.Error())
		return
	}
	if err := validWhere(body.Where); err != nil {
		fail(w, http.StatusBadRequest, "InvalidArgumentError", err.Error())
		return
	}
	out := map[string][]any{"ids": {}, "documents": {}, "metadatas": {}, "distances": {}, "embeddings": {}}
	for _, q := range body.QueryEmbeddings {
		type scored struct {
			rec  record
			dist float64
		}
		var hits []scored
		for _, id := range c.order {
			rec, exists := c.records[id]
			if !exists || (body.Where != nil && !where(body.Where, rec.metadata)) {
				continue
			}
			hits = append(hits, scored{rec, distance(c.space, q, rec.embedding)})
		}
		slices.SortStableFunc(hits, func(a, b scored) int { return cmp.Compare(a.dist, b.dist) })
		hits = hits[:min(body.NResults, len(hits))]
		ids, docs, metas, dists, embs := []any{}, []any{}, []any{}, []any{}, []any{}
		for _, h := range hits {
			ids = append(ids, h.rec.id)
			docs = append(docs, h.rec.document)
			metas = append(metas, h.rec.metadata)
			dists = append(dists, h.dist)
			embs = append(embs, h.rec.embedding)
		}
		out["ids"] = append(out["ids"], ids)
		for key, list := range map[string][]any{"documents": docs, "metadatas": metas, "distances": dists, "embeddings": embs} {
			if slices.Contains(body.Include, key) {
				out[key] = append(out[key], list)
			}
		}
	}
	res := map[string]any{"include": body.Include}
	for k, v := range out {
		if k == "ids" || slices.Contains(body.Include, k) {
			res[k] = v
		} else {
			res[k] = nil
		}
	}
	reply(w, res)
}

func distance(space string, a, b []float64) float64 {
	var dot, na, nb, l2 float64
	for i := range min(len(a), len(b)) {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
		l2 += (a[i] - b[i]) * (a[i] - b[i])
	}
	switch space {
	case "cosine":
		if na == 0 || nb == 0 {
			return 1
		}
		return 1 - dot/math.Sqrt(na*nb)
	case "ip":
		return 1 - dot
	}
	return l2
}
