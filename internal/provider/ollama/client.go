// Package ollama is a small client for Ollama's native REST API: /api/chat
// (streamed as NDJSON or answered with one object) and /api/embed, the
// calls Floe's Ollama chat model and embedding nodes make. It is written
// from Ollama's API documentation (docs/api.md) and reads no environment
// variables.
package ollama

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DefaultBaseURL is the address of a local Ollama server.
const DefaultBaseURL = "http://localhost:11434"

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// Client calls one Ollama server. Its fields are read on every call and
// must not change while calls are in flight; a Client is otherwise safe
// for concurrent use.
type Client struct {
	// BaseURL is the server's URL that "/api/..." is appended to; empty
	// means [DefaultBaseURL]. A trailing slash is ignored.
	BaseURL string
	// APIKey, when set, is sent as "Authorization: Bearer <key>" (for
	// servers behind an authenticating proxy).
	APIKey string
	// HTTP sends the requests; nil means [http.DefaultClient].
	HTTP *http.Client
}

// Error is an error answer from Ollama: its {"error": "..."} body, or the
// start of the body when it has no such field. StatusCode is zero for an
// error reported inside a stream that began with 200 OK.
type Error struct {
	StatusCode int
	Message    string
}

// Error returns e.g. `404 Not Found: model "llama9" not found`, or only the
// message for an error inside a stream.
func (e *Error) Error() string {
	if e.StatusCode == 0 {
		return e.Message
	}
	status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message == "" {
		return status
	}
	return status + ": " + e.Message
}

// apiError builds the [Error] for an answer with a failing status.
func apiError(status int, body []byte) *Error {
	var b struct {
		Error json.RawMessage `json:"error"`
	}
	var msg string
	if json.Unmarshal(body, &b) == nil && json.Unmarshal(b.Error, &msg) == nil && msg != "" {
		return &Error{StatusCode: status, Message: msg}
	}
	return &Error{StatusCode: status, Message: string(bytes.TrimSpace(body))}
}

// Duration is a keep_alive value. Negative durations keep the model loaded
// forever and are sent as -1; others as Go duration strings ("5m0s").
type Duration time.Duration

// MarshalJSON encodes d as Ollama reads it.
func (d Duration) MarshalJSON() ([]byte, error) {
	if d < 0 {
		return []byte("-1"), nil
	}
	return json.Marshal(time.Duration(d).String())
}

// post sends body as JSON to path and returns the response when its status
// is 2xx; the caller closes its body. A failing status becomes an
// [*Error].
func (c *Client) post(ctx context.Context, path, accept string, body any) (*http.Response, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding request: %w", err)
	}
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	if c.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.APIKey)
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode/100 != 2 {
		defer res.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
		return nil, apiError(res.StatusCode, b)
	}
	return res, nil
}

// ctxErr returns err, joined with ctx's error when ctx is done, so that
// callers can tell a cancellation with [errors.Is] whatever the transport
// made of it.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}
