package speechtotext

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxAnswer bounds the vendor answers read, transcripts included.
const maxAnswer = 8 << 20

// APIError is an error answer from a speech-to-text vendor. Its message
// leaves out the provider, which [Transcriber.Transcribe] prefixes.
type APIError struct {
	// Provider is the vendor that answered.
	Provider Provider
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Message is the vendor's error message, or the start of the body when
	// it has none.
	Message string
}

// Error returns e.g. "HTTP 401 Unauthorized: Incorrect API key provided".
func (e *APIError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
}

// send sends req and decodes a 2xx JSON answer into out; any other status
// is an [*APIError] from p.
func (t *Transcriber) send(req *http.Request, p Provider, out any) error {
	resp, err := t.hc.Do(req)
	if err != nil {
		return err // a *url.Error: it names the method and URL
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("reading the answer to %s %s: %w", req.Method, req.URL.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &APIError{Provider: p, StatusCode: resp.StatusCode, Message: vendorMessage(body)}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decoding the answer to %s %s: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

// vendorMessage digs the message out of an error body. The vendors use
// {"error":{"message":…}} (OpenAI, Groq, LocalAI, Azure AI services),
// {"error":"…"} (AssemblyAI) and {"code":…,"message":…} (Azure Speech).
// Anything else gives the start of the body as text.
func vendorMessage(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  string          `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil {
		var nested struct {
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(v.Error, &nested) == nil && nested.Message != "":
			return nested.Message
		case json.Unmarshal(v.Error, &s) == nil && s != "":
			return s
		case v.Message != "":
			return v.Message
		case v.Detail != "":
			return v.Detail
		}
	}
	msg := strings.TrimSpace(string(body))
	if msg == "" {
		return "(empty body)"
	}
	const limit = 500
	if len(msg) > limit {
		msg = strings.ToValidUTF8(msg[:limit], "") + "…"
	}
	return msg
}

var _ error = (*APIError)(nil)
