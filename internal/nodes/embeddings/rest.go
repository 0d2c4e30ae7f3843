package embeddings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxErrorBody bounds how much of an error response is read for its
// message.
const maxErrorBody = 64 << 10

// restCall is one JSON POST to a vendor REST API, for the vendors with no
// SDK in Floe (Cohere, Voyage AI).
type restCall struct {
	// node and vendor name the caller in errors, as in
	// "cohereEmbeddings: calling cohere: 401 Unauthorized: invalid api token".
	node, vendor string
	client       *http.Client
	url          string
	apiKey       string // sent as a bearer token when set
}

// post sends body as JSON and decodes a 2xx answer into out. Other statuses
// become errors naming the vendor, the status and the vendor's message.
// When ctx ends first, post returns ctx.Err().
func (c restCall) post(ctx context.Context, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s: encoding the %s request: %w", c.node, c.vendor, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("%s: calling %s: %w", c.node, c.vendor, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	res, err := c.client.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%s: calling %s: %w", c.node, c.vendor, err)
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
		return fmt.Errorf("%s: calling %s: %s: %s", c.node, c.vendor, res.Status, vendorMessage(msg))
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%s: calling %s: decoding the answer: %w", c.node, c.vendor, err)
	}
	return nil
}

// vendorMessage picks the human-readable part of an error body: Cohere's
// "message", Voyage's "detail", an OpenAI-style "error", or the trimmed body.
func vendorMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
		Detail  any    `json:"detail"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil {
		switch {
		case e.Message != "":
			return e.Message
		case e.Detail != nil:
			return fmt.Sprint(e.Detail)
		case e.Error != nil:
			if m, ok := e.Error.(map[string]any); ok && m["message"] != nil {
				return fmt.Sprint(m["message"])
			}
			return fmt.Sprint(e.Error)
		}
	}
	return strings.TrimSpace(string(body))
}
