// Package pineconetest is an in-memory Pinecone for tests: one TLS httptest
// server playing both the control plane (describe index) and the index's
// data plane (upsert, query, delete) with Pinecone's wire format and
// metadata filter language.
package pineconetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
)

// Server is a fake Pinecone serving one index. It is closed when the test
// ends. Its Client() trusts its certificate.
type Server struct {
	*httptest.Server
	// APIKey must arrive in the Api-Key header.
	APIKey string
	// Index, Dimension and Metric describe the served index; Metric is
	// cosine (default), euclidean or dotproduct.
	Index     string
	Dimension int
	Metric    string

	mu         sync.Mutex // guards namespaces and seq
	namespaces map[string]map[string]vector
	seq        int // insertion counter, to order ties
}

type vector struct {
	id       string
	values   []float64
	metadata map[string]any
	seq      int
}

// New starts a fake Pinecone serving index name with the given dimension.
func New(t interface{ Cleanup(func()) }, apiKey, name string, dimension int) *Server {
	s := &Server{APIKey: apiKey, Index: name, Dimension: dimension, Metric: "cosine", namespaces: map[string]map[string]vector{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /indexes/{name}", s.describe)
	mux.HandleFunc("POST /vectors/upsert", s.upsert)
	mux.HandleFunc("POST /query", s.query)
	mux.HandleFunc("POST /vectors/delete", s.delete)
	s.Server = httptest.NewTLSServer(s.auth(mux))
	t.Cleanup(s.Close)
	return s
}

// Host is the index host as the control plane reports it (no scheme).
func (s *Server) Host() string {
	u, _ := url.Parse(s.URL)
	return u.Host
}

// Count returns how many vectors a namespace holds.
func (s *Server) Count(namespace string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.namespaces[namespace])
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Api-Key") != s.APIKey {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "UNAUTHENTICATED", "message": "Invalid API Key"}, "status": 401})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// fail writes a data-plane error ({"code", "message", "details"}).
func fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": 3, "message": msg, "details": []any{}})
}

func (s *Server) describe(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("name") != s.Index {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "NOT_FOUND", "message": "Resource " + r.PathValue("name") + " not found"}, "status": 404})
		return
	}
	reply(w, map[string]any{
		"name": s.Index, "dimension": s.Dimension, "metric": s.Metric, "host": s.Host(), "vector_type": "dense",
		"spec":   map[string]any{"serverless": map[string]any{"cloud": "aws", "region": "us-east-1"}},
		"status": map[string]any{"ready": true, "state": "Ready"}, "deletion_protection": "disabled",
	})
}

func (s *Server) upsert(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Vectors []struct {
			ID       string         `json:"id"`
			Values   []float64      `json:"values"`
			Metadata map[string]any `json:"metadata"`
		} `json:"vectors"`
		Namespace string `json:"namespace"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(body.Vectors) > 1000 {
		fail(w, http.StatusBadRequest, "Upsert request can contain at most 1000 vectors")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ns := s.namespaces[body.Namespace]
	if ns == nil {
		ns = map[string]vector{}
		s.namespaces[body.Namespace] = ns
	}
	for _, v := range body.Vectors {
		if len(v.Values) != s.Dimension {
			fail(w, http.StatusBadRequest, fmt.Sprintf("Vector dimension %d does not match the dimension of the index %d", len(v.Values), s.Dimension))
			return
		}
		for k, val := range v.Metadata {
			if !validMetadata(val) {
				fail(w, http.StatusBadRequest, fmt.Sprintf("Metadata value must be a string, number, boolean or list of strings, got '%v' for field '%s'", val, k))
				return
			}
		}
		s.seq++
		seq := s.seq
		if old, ok := ns[v.ID]; ok {
			seq = old.seq
		}
		ns[v.ID] = vector{id: v.ID, values: v.Values, metadata: v.Metadata, seq: seq}
	}
	reply(w, map[string]any{"upsertedCount": len(body.Vectors)})
}

func validMetadata(v any) bool {
	switch x := v.(type) {
	case string, float64, bool:
		return true
	case []any:
		for _, e := range x {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Namespace       string         `json:"namespace"`
		Vector          []float64      `json:"vector"`
		TopK            int            `json:"topK"`
		Filter          map[string]any `json:"filter"`
		IncludeValues   bool           `json:"includeValues"`
		IncludeMetadata bool           `json:"includeMetadata"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.TopK < 1 || body.TopK > 10000 || body.IncludeValues && body.TopK > 1000 {
		fail(w, http.StatusBadRequest, fmt.Sprintf("topK %d is out of range", body.TopK))
		return
	}
	if len(body.Vector) != s.Dimension {
		fail(w, http.StatusBadRequest, fmt.Sprintf("Vector dimension %d does not match the dimension of the index %d", len(body.Vector), s.Dimension))
		return
	}
	if err := validFilter(body.Filter); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	type scored struct {
		v     vector
		score float64
	}
	var hits []scored
	for _, v := range s.namespaces[body.Namespace] {
		if body.Filter != nil && !matchFilter(body.Filter, v.metadata) {
			continue
		}
		hits = append(hits, scored{v, s.score(body.Vector, v.values)})
	}
	slices.SortFunc(hits, func(a, b scored) int {
		c := cmp.Compare(b.score, a.score) // similarity: higher first
		if s.Metric == "euclidean" {
			c = -c // distance: lower first
		}
		return cmp.Or(c, cmp.Compare(a.v.seq, b.v.seq))
	})
	matches := []map[string]any{}
	for _, h := range hits[:min(body.TopK, len(hits))] {
		m := map[string]any{"id": h.v.id, "score": h.score, "values": []float64{}}
		if body.IncludeValues {
			m["values"] = h.v.values
		}
		if body.IncludeMetadata && h.v.metadata != nil {
			m["metadata"] = h.v.metadata
		}
		matches = append(matches, m)
	}
	reply(w, map[string]any{"results": []any{}, "matches": matches, "namespace": body.Namespace, "usage": map[string]any{"readUnits": 5}})
}

func (s *Server) score(a, b []float64) float64 {
	var dot, na, nb, l2 float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
		l2 += (a[i] - b[i]) * (a[i] - b[i])
	}
	switch s.Metric {
	case "dotproduct":
		return dot
	case "euclidean":
		return l2
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs       []string       `json:"ids"`
		Namespace string         `json:"namespace"`
		DeleteAll bool           `json:"deleteAll"`
		Filter    map[string]any `json:"filter"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(body.IDs) > 1000 {
		fail(w, http.StatusBadRequest, "Delete request can contain at most 1000 ids")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ns := s.namespaces[body.Namespace]
	for _, id := range body.IDs {
		delete(ns, id)
	}
	for id, v := range ns {
		if body.DeleteAll || body.Filter != nil && matchFilter(body.Filter, v.metadata) {
			delete(ns, id)
		}
	}
	reply(w, map[string]any{})
}
