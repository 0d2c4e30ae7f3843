// Package qdranttest is an in-memory Qdrant for tests: an httptest server
// answering the REST calls of package qdrant (collections, points upsert,
// search and delete) with Qdrant's wire format, filters included.
package qdranttest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a fake Qdrant. It is closed when the test ends.
type Server struct {
	*httptest.Server
	// APIKey, when set, must arrive in the api-key header.
	APIKey string

	mu          sync.Mutex // guards collections
	collections map[string]*collection
}

type collection struct {
	size     int
	distance string
	points   map[string]point
	order    []string // ids in insertion order
}

type point struct {
	id      any
	vector  []float64
	payload map[string]any
}

// New starts a fake Qdrant.
func New(t interface{ Cleanup(func()) }) *Server {
	s := &Server{collections: map[string]*collection{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /collections/{name}", s.getCollection)
	mux.HandleFunc("PUT /collections/{name}", s.createCollection)
	mux.HandleFunc("PUT /collections/{name}/points", s.upsert)
	mux.HandleFunc("POST /collections/{name}/points/search", s.search)
	mux.HandleFunc("POST /collections/{name}/points/delete", s.delete)
	s.Server = httptest.NewServer(s.auth(mux))
	t.Cleanup(s.Close)
	return s
}

// Count returns how many points a collection holds (0 when it is missing).
func (s *Server) Count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.collections[name]; c != nil {
		return len(c.points)
	}
	return 0
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.APIKey != "" && r.Header.Get("api-key") != s.APIKey {
			fail(w, http.StatusUnauthorized, "Must provide an API key or an Authorization bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func ok(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"result": result, "status": "ok", "time": 0.0001})
}

func fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": map[string]any{"error": msg}, "time": 0.0001})
}

func decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		fail(w, http.StatusBadRequest, "Format error in JSON body: "+err.Error())
		return false
	}
	return true
}

// lookup returns the named collection, answering 404 when it is missing.
// The caller holds s.mu.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) *collection {
	name := r.PathValue("name")
	c := s.collections[name]
	if c == nil {
		fail(w, http.StatusNotFound, fmt.Sprintf("Not found: Collection `%s` doesn't exist!", name))
	}
	return c
}

func (s *Server) getCollection(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(w, r)
	if c == nil {
		return
	}
	ok(w, map[string]any{
		"status": "green", "optimizer_status": "ok", "points_count": len(c.points),
		"config": map[string]any{"params": map[string]any{"vectors": map[string]any{"size": c.size, "distance": c.distance}}},
	})
}

func (s *Server) createCollection(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Vectors struct {
			Size     int    `json:"size"`
			Distance string `json:"distance"`
		} `json:"vectors"`
	}
	if !decode(w, r, &body) {
		return
	}
	switch body.Vectors.Distance {
	case "Cosine", "Euclid", "Dot", "Manhattan":
	default:
		fail(w, http.StatusBadRequest, "Format error in JSON body: unknown variant `"+body.Vectors.Distance+"`")
		return
	}
	if body.Vectors.Size <= 0 {
		fail(w, http.StatusBadRequest, "Wrong input: Vector size must be positive")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name := r.PathValue("name")
	if s.collections[name] != nil {
		fail(w, http.StatusConflict, fmt.Sprintf("Wrong input: Collection `%s` already exists!", name))
		return
	}
	s.collections[name] = &collection{size: body.Vectors.Size, distance: body.Vectors.Distance, points: map[string]point{}}
	ok(w, true)
}

var uuidRE = regexp.MustCompile(`^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)

// pointID validates an id as Qdrant does (an unsigned integer or a UUID)
// and returns its canonical key and JSON value.
func pointID(v any) (string, any, error) {
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseUint(x.String(), 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("Format error in JSON body: invalid point id %s", x)
		}
		return strconv.FormatUint(n, 10), n, nil
	case string:
		if !uuidRE.MatchString(x) {
			return "", nil, fmt.Errorf("Format error in JSON body: Unable to parse UUID: %s", x)
		}
		h := strings.ToLower(strings.ReplaceAll(x, "-", ""))
		id := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		return id, id, nil
	}
	return "", nil, fmt.Errorf("Format error in JSON body: invalid point id %v", v)
}

func (s *Server) upsert(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Points []struct {
			ID      any            `json:"id"`
			Vector  []float64      `json:"vector"`
			Payload map[string]any `json:"payload"`
		} `json:"points"`
	}
	if !decode(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(w, r)
	if c == nil {
		return
	}
	for _, p := range body.Points {
		key, id, err := pointID(p.ID)
		if err != nil {
			fail(w, http.StatusBadRequest, err.Error())
			return
		}
		if len(p.Vector) != c.size {
			fail(w, http.StatusBadRequest, fmt.Sprintf("Wrong input: Vector dimension error: expected dim: %d, got %d", c.size, len(p.Vector)))
			return
		}
		if _, exists := c.points[key]; !exists {
			c.order = append(c.order, key)
		}
		c.points[key] = point{id: id, vector: p.Vector, payload: numbersToFloat(p.Payload).(map[string]any)}
	}
	ok(w, map[string]any{"operation_id": time.Now().UnixNano(), "status": "completed"})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Vector      []float64      `json:"vector"`
		Limit       int            `json:"limit"`
		Filter      map[string]any `json:"filter"`
		WithPayload bool           `json:"with_payload"`
		WithVector  bool           `json:"with_vector"`
	}
	if !decode(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(w, r)
	if c == nil {
		return
	}
	if len(body.Vector) != c.size {
		fail(w, http.StatusBadRequest, fmt.Sprintf("Wrong input: Vector dimension error: expected dim: %d, got %d", c.size, len(body.Vector)))
		return
	}
	filter := numbersToFloat(body.Filter)
	type scored struct {
		p     point
		score float64
	}
	var hits []scored
	for _, key := range c.order {
		p, exists := c.points[key]
		if !exists || (body.Filter != nil && !matchFilter(filter.(map[string]any), p)) {
			continue
		}
		hits = append(hits, scored{p, score(c.distance, body.Vector, p.vector)})
	}
	ascending := c.distance == "Euclid" || c.distance == "Manhattan"
	slices.SortStableFunc(hits, func(a, b scored) int {
		if ascending {
			return cmp.Compare(a.score, b.score)
		}
		return cmp.Compare(b.score, a.score)
	})
	out := []map[string]any{}
	for _, h := range hits[:min(body.Limit, len(hits))] {
		m := map[string]any{"id": h.p.id, "version": 1, "score": h.score}
		if body.WithPayload {
			m["payload"] = h.p.payload
		}
		if body.WithVector {
			m["vector"] = h.p.vector
		}
		out = append(out, m)
	}
	ok(w, out)
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Points []any          `json:"points"`
		Filter map[string]any `json:"filter"`
	}
	if !decode(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(w, r)
	if c == nil {
		return
	}
	for _, v := range body.Points {
		key, _, err := pointID(v)
		if err != nil {
			fail(w, http.StatusBadRequest, err.Error())
			return
		}
		delete(c.points, key)
	}
	if body.Filter != nil {
		f := numbersToFloat(body.Filter).(map[string]any)
		for key, p := range c.points {
			if matchFilter(f, p) {
				delete(c.points, key)
			}
		}
	}
	ok(w, map[string]any{"operation_id": time.Now().UnixNano(), "status": "completed"})
}

func score(distance string, a, b []float64) float64 {
	var dot, na, nb, l2, l1 float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
		l2 += (a[i] - b[i]) * (a[i] - b[i])
		l1 += math.Abs(a[i] - b[i])
	}
	switch distance {
	case "Dot":
		return dot
	case "Euclid":
		return math.Sqrt(l2)
	case "Manhattan":
		return l1
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// numbersToFloat turns the json.Numbers of a decoded value into float64.
func numbersToFloat(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = numbersToFloat(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = numbersToFloat(e)
		}
		return out
	}
	return v
}
