// Package chroma is a small client for Chroma's REST API: get-or-create a
// collection, upsert, query and delete records. It speaks the v2 API
// (/api/v2/tenants/{tenant}/databases/{database}/..., Chroma 0.7 and 1.x)
// and falls back to v1 (/api/v1/..., older servers) when a server answers
// 404 to v2. It is written from Chroma's HTTP API reference.
package chroma

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Default tenant and database of a Chroma server.
const (
	DefaultTenant   = "default_tenant"
	DefaultDatabase = "default_database"
)

// Client calls one Chroma server. A Client is safe for concurrent use.
type Client struct {
	// BaseURL is the server's URL, e.g. http://localhost:8000.
	BaseURL string
	// Token, when set, is sent in the x-chroma-token header (Chroma Cloud
	// and token-authenticated servers).
	Token string
	// Tenant and Database default to [DefaultTenant] and
	// [DefaultDatabase].
	Tenant, Database string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client

	mu sync.Mutex // guards v1
	v1 bool       // the server has no v2 API
}

// Error is an error answer from Chroma.
type Error struct {
	StatusCode int
	Message    string
}

// Error returns e.g. "chroma: 400 Bad Request: ...".
func (e *Error) Error() string {
	return fmt.Sprintf("chroma: %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
}

// Collection identifies a collection.
type Collection struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Records are parallel lists describing records to upsert. Metadatas
// entries may be nil; values must be strings, numbers or booleans.
type Records struct {
	IDs        []string         `json:"ids"`
	Embeddings [][]float32      `json:"embeddings"`
	Metadatas  []map[string]any `json:"metadatas"`
	Documents  []string         `json:"documents"`
}

// Match is one query result.
type Match struct {
	ID        string
	Document  string
	Metadata  map[string]any
	Distance  float64
	Embedding []float32
}

// GetOrCreateCollection returns the named collection, creating it with
// metadata (e.g. {"hnsw:space": "cosine"}) when it does not exist.
func (c *Client) GetOrCreateCollection(ctx context.Context, name string, metadata map[string]any) (Collection, error) {
	body := map[string]any{"name": name, "get_or_create": true}
	if len(metadata) > 0 {
		body["metadata"] = metadata
	}
	var out Collection
	err := c.do(ctx, c.collectionsPath(), body, &out)
	if e := (*Error)(nil); errors.As(err, &e) && e.StatusCode == http.StatusNotFound && !c.isV1() {
		c.mu.Lock()
		c.v1 = true
		c.mu.Unlock()
		err = c.do(ctx, c.collectionsPath(), body, &out)
	}
	if err != nil {
		return Collection{}, err
	}
	return out, nil
}

// Upsert writes records, replacing those with the same ids.
func (c *Client) Upsert(ctx context.Context, collectionID string, r Records) error {
	return c.do(ctx, c.collectionPath(collectionID, "upsert"), r, nil)
}

// Query returns the n records nearest to vector that satisfy where (a
// Chroma where clause; nil for none), nearest first, with their
// embeddings.
func (c *Client) Query(ctx context.Context, collectionID string, vector []float32, n int, where map[string]any) ([]Match, error) {
	body := map[string]any{
		"query_embeddings": [][]float32{vector},
		"n_results":        n,
		"include":          []string{"documents", "metadatas", "distances", "embeddings"},
	}
	if len(where) > 0 {
		body["where"] = where
	}
	var out struct {
		IDs        [][]string         `json:"ids"`
		Documents  [][]*string        `json:"documents"`
		Metadatas  [][]map[string]any `json:"metadatas"`
		Distances  [][]*float64       `json:"distances"`
		Embeddings [][][]float32      `json:"embeddings"`
	}
	if err := c.do(ctx, c.collectionPath(collectionID, "query"), body, &out); err != nil {
		return nil, err
	}
	if len(out.IDs) == 0 {
		return nil, nil
	}
	matches := make([]Match, len(out.IDs[0]))
	for i, id := range out.IDs[0] {
		m := Match{ID: id}
		if len(out.Documents) > 0 && i < len(out.Documents[0]) && out.Documents[0][i] != nil {
			m.Document = *out.Documents[0][i]
		}
		if len(out.Metadatas) > 0 && i < len(out.Metadatas[0]) {
			m.Metadata = out.Metadatas[0][i]
		}
		if len(out.Distances) > 0 && i < len(out.Distances[0]) && out.Distances[0][i] != nil {
			m.Distance = *out.Distances[0][i]
		}
		if len(out.Embeddings) > 0 && i < len(out.Embeddings[0]) {
			m.Embedding = out.Embeddings[0][i]
		}
		matches[i] = m
	}
	return matches, nil
}

// Delete removes the records with the given ids.
func (c *Client) Delete(ctx context.Context, collectionID string, ids []string) error {
	return c.do(ctx, c.collectionPath(collectionID, "delete"), map[string]any{"ids": ids}, nil)
}

func (c *Client) isV1() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v1
}

func (c *Client) tenantDB() (string, string) {
	t, d := c.Tenant, c.Database
	if t == "" {
		t = DefaultTenant
	}
	if d == "" {
		d = DefaultDatabase
	}
	return t, d
}

func (c *Client) collectionsPath() string {
	t, d := c.tenantDB()
	if c.isV1() {
		return "/api/v1/collections?" + url.Values{"tenant": {t}, "database": {d}}.Encode()
	}
	return "/api/v2/tenants/" + url.PathEscape(t) + "/databases/" + url.PathEscape(d) + "/collections"
}

func (c *Client) collectionPath(id, op string) string {
	if c.isV1() {
		return "/api/v1/collections/" + url.PathEscape(id) + "/" + op
	}
	t, d := c.tenantDB()
	return "/api/v2/tenants/" + url.PathEscape(t) + "/databases/" + url.PathEscape(d) + "/collections/" + url.PathEscape(id) + "/" + op
}

// do POSTs body to path and decodes the answer into out.
func (c *Client) do(ctx context.Context, path string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("chroma: encoding request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.BaseURL, "/")+path, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("chroma: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("x-chroma-token", c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("chroma: POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err = io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("chroma: reading the answer to %s: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
			Detail  any    `json:"detail"`
		}
		msg := strings.TrimSpace(string(raw))
		if json.Unmarshal(raw, &e) == nil {
			switch {
			case e.Message != "":
				msg = strings.TrimSpace(e.Error + ": " + e.Message)
			case e.Error != "":
				msg = e.Error
			}
		}
		return &Error{StatusCode: resp.StatusCode, Message: msg}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("chroma: decoding the answer to %s: %w", path, err)
	}
	return nil
}
