// Package pinecone is a small client for Pinecone's REST API: describing an
// index (control plane) and upserting, querying and deleting vectors (data
// plane, on the index's own host). It is written from Pinecone's HTTP API
// reference.
package pinecone

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

// ControlURL is Pinecone's control-plane address.
const ControlURL = "https://api.pinecone.io"

// APIVersion is the API version sent in X-Pinecone-API-Version.
const APIVersion = "2025-04"

// ErrNotFound reports an index that does not exist.
var ErrNotFound = errors.New("pinecone: not found")

// Client calls Pinecone with one API key. A Client is safe for concurrent
// use.
type Client struct {
	// APIKey is sent in the Api-Key header.
	APIKey string
	// ControlURL overrides [ControlURL] (tests).
	ControlURL string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
}

// Error is an error answer from Pinecone.
type Error struct {
	StatusCode int
	Message    string
}

// Error returns e.g. "pinecone: 400 Bad Request: ...".
func (e *Error) Error() string {
	return fmt.Sprintf("pinecone: %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
}

// Is makes a 404 match [ErrNotFound].
func (e *Error) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

// Index describes an index.
type Index struct {
	Name      string `json:"name"`
	Dimension int    `json:"dimension"`
	// Metric is cosine, euclidean or dotproduct.
	Metric string `json:"metric"`
	// Host is the index's data-plane host name.
	Host string `json:"host"`
}

// Vector is a record of an index.
type Vector struct {
	ID       string         `json:"id"`
	Values   []float32      `json:"values"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// Match is a query result. Score is the index's metric.
type Match struct {
	ID       string         `json:"id"`
	Score    float64        `json:"score"`
	Values   []float32      `json:"values"`
	Metadata map[string]any `json:"metadata"`
}

// Query is the body of a query. Filter uses Pinecone's metadata filter
// language ({"genre": {"$eq": "drama"}}, $and, $or, ...).
type Query struct {
	Namespace       string         `json:"namespace,omitempty"`
	Vector          []float32      `json:"vector"`
	TopK            int            `json:"topK"`
	Filter          map[string]any `json:"filter,omitempty"`
	IncludeValues   bool           `json:"includeValues"`
	IncludeMetadata bool           `json:"includeMetadata"`
}

// DescribeIndex returns the named index; a missing one is an error
// matching [ErrNotFound].
func (c *Client) DescribeIndex(ctx context.Context, name string) (Index, error) {
	base := c.ControlURL
	if base == "" {
		base = ControlURL
	}
	var out Index
	err := c.do(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/indexes/"+url.PathEscape(name), nil, &out)
	return out, err
}

// Upsert writes vectors into namespace, replacing those with the same ids.
// host is the index's host name, or a URL.
func (c *Client) Upsert(ctx context.Context, host, namespace string, vectors []Vector) error {
	return c.do(ctx, http.MethodPost, hostURL(host)+"/vectors/upsert", map[string]any{"vectors": vectors, "namespace": namespace}, nil)
}

// Query returns the closest matches, best first.
func (c *Client) Query(ctx context.Context, host string, q Query) ([]Match, error) {
	var out struct {
		Matches []Match `json:"matches"`
	}
	if err := c.do(ctx, http.MethodPost, hostURL(host)+"/query", q, &out); err != nil {
		return nil, err
	}
	return out.Matches, nil
}

// Delete removes the vectors with the given ids from namespace.
func (c *Client) Delete(ctx context.Context, host, namespace string, ids []string) error {
	return c.do(ctx, http.MethodPost, hostURL(host)+"/vectors/delete", map[string]any{"ids": ids, "namespace": namespace}, nil)
}

// hostURL returns host as a base URL: host names get https://.
func hostURL(host string) string {
	if strings.HasPrefix(host, "https://") || strings.HasPrefix(host, "http://") {
		return strings.TrimRight(host, "/")
	}
	return "https://" + strings.TrimRight(host, "/")
}

func (c *Client) do(ctx context.Context, method, target string, body, out any) error {
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("pinecone: encoding request: %w", err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, r)
	if err != nil {
		return fmt.Errorf("pinecone: %w", err)
	}
	req.Header.Set("Api-Key", c.APIKey)
	req.Header.Set("X-Pinecone-API-Version", APIVersion)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("pinecone: %s %s: %w", method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("pinecone: reading the answer to %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode/100 != 2 {
		return &Error{StatusCode: resp.StatusCode, Message: errorMessage(raw)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("pinecone: decoding the answer to %s: %w", req.URL.Path, err)
	}
	return nil
}

// errorMessage extracts the message of a control-plane ({"error":
// {"message"}}) or data-plane ({"message"}) error body.
func errorMessage(raw []byte) string {
	var e struct {
		Message string `json:"message"`
		Error   struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil {
		if e.Error.Message != "" {
			return e.Error.Message
		}
		if e.Message != "" {
			return e.Message
		}
	}
	return strings.TrimSpace(string(raw))
}
