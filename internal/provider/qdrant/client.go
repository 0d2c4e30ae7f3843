// Package qdrant is a small client for Qdrant's REST API (port 6333): the
// collection and point calls Floe's Qdrant vector store node makes. It is
// written from Qdrant's HTTP API reference; the official Go client speaks
// gRPC only.
package qdrant

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
)

// ErrNotFound reports a collection that does not exist.
var ErrNotFound = errors.New("qdrant: not found")

// Client calls one Qdrant server. The zero HTTP uses http.DefaultClient.
// A Client is safe for concurrent use.
type Client struct {
	// BaseURL is the server's REST URL, e.g. http://localhost:6333.
	BaseURL string
	// APIKey, when set, is sent in the api-key header.
	APIKey string
	// HTTP sends the requests.
	HTTP *http.Client
}

// Error is an error answer from Qdrant.
type Error struct {
	StatusCode int
	Message    string
}

// Error returns e.g. "qdrant: 400 Bad Request: Wrong input: ...".
func (e *Error) Error() string {
	return fmt.Sprintf("qdrant: %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
}

// Is makes a 404 match [ErrNotFound].
func (e *Error) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

// Collection describes a collection's single unnamed vector.
type Collection struct {
	// Size is the vector dimension.
	Size int
	// Distance is Cosine, Euclid, Dot or Manhattan.
	Distance string
}

// Point is a vector with its id and payload.
type Point struct {
	// ID is a UUID or an unsigned integer (as a string).
	ID      string         `json:"id"`
	Vector  []float32      `json:"vector"`
	Payload map[string]any `json:"payload,omitempty"`
}

// ScoredPoint is a search result. Score is the collection's metric: the
// similarity for Cosine and Dot, the distance for Euclid and Manhattan.
type ScoredPoint struct {
	ID      any            `json:"id"`
	Score   float64        `json:"score"`
	Payload map[string]any `json:"payload"`
	Vector  []float32      `json:"vector"`
}

// SearchRequest is the body of a points search. Filter is a Qdrant filter
// ({"must": [...], "should": [...], "must_not": [...]}).
type SearchRequest struct {
	Vector      []float32 `json:"vector"`
	Limit       int       `json:"limit"`
	Filter      any       `json:"filter,omitempty"`
	WithPayload bool      `json:"with_payload"`
	WithVector  bool      `json:"with_vector"`
}

// GetCollection describes a collection; a missing one is an error matching
// [ErrNotFound].
func (c *Client) GetCollection(ctx context.Context, name string) (Collection, error) {
	var out struct {
		Result struct {
			Config struct {
				Params struct {
					Vectors json.RawMessage `json:"vectors"`
				} `json:"params"`
			} `json:"config"`
		} `json:"result"`
	}
	if err := c.do(ctx, http.MethodGet, "/collections/"+url.PathEscape(name), nil, &out); err != nil {
		return Collection{}, err
	}
	var v struct {
		Size     int    `json:"size"`
		Distance string `json:"distance"`
	}
	if err := json.Unmarshal(out.Result.Config.Params.Vectors, &v); err != nil || v.Size == 0 {
		return Collection{}, fmt.Errorf("qdrant: collection %q has named vectors, which are not supported", name)
	}
	return Collection{Size: v.Size, Distance: v.Distance}, nil
}

// CreateCollection creates a collection with config, the body of Qdrant's
// create call (at least {"vectors": {"size": n, "distance": "Cosine"}}).
func (c *Client) CreateCollection(ctx context.Context, name string, config map[string]any) error {
	return c.do(ctx, http.MethodPut, "/collections/"+url.PathEscape(name), config, nil)
}

// Upsert writes points, replacing those with the same ids, and waits until
// they are applied.
func (c *Client) Upsert(ctx context.Context, collection string, points []Point) error {
	return c.do(ctx, http.MethodPut, "/collections/"+url.PathEscape(collection)+"/points?wait=true", map[string]any{"points": points}, nil)
}

// Search returns the points closest to req.Vector, best first.
func (c *Client) Search(ctx context.Context, collection string, req SearchRequest) ([]ScoredPoint, error) {
	var out struct {
		Result []ScoredPoint `json:"result"`
	}
	if err := c.do(ctx, http.MethodPost, "/collections/"+url.PathEscape(collection)+"/points/search", req, &out); err != nil {
		return nil, err
	}
	return out.Result, nil
}

// Delete removes the points with the given ids and waits until it is
// applied.
func (c *Client) Delete(ctx context.Context, collection string, ids []string) error {
	return c.do(ctx, http.MethodPost, "/collections/"+url.PathEscape(collection)+"/points/delete?wait=true", map[string]any{"points": ids}, nil)
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("qdrant: encoding request: %w", err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, r)
	if err != nil {
		return fmt.Errorf("qdrant: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.APIKey != "" {
		req.Header.Set("api-key", c.APIKey)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("qdrant: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("qdrant: reading the answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Status struct {
				Error string `json:"error"`
			} `json:"status"`
		}
		msg := strings.TrimSpace(string(raw))
		if json.Unmarshal(raw, &e) == nil && e.Status.Error != "" {
			msg = e.Status.Error
		}
		return &Error{StatusCode: resp.StatusCode, Message: msg}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("qdrant: decoding the answer to %s %s: %w", method, path, err)
	}
	return nil
}
