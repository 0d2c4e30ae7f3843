// Package gemini is a small client for the Gemini API (REST, v1beta): the
// generateContent, streamGenerateContent, embedContent and
// batchEmbedContents methods that Floe's Google Gemini chat model and
// embedding nodes call. It is written from the API reference at
// https://ai.google.dev/api and speaks JSON over the caller's
// [http.Client]; it reads no environment variables.
package gemini

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// DefaultBaseURL is the Gemini API's root, without the API version.
const DefaultBaseURL = "https://generativelanguage.googleapis.com"

// apiVersion is appended to the base URL.
const apiVersion = "v1beta"

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// Client calls the Gemini API. Its fields are read on every call and must
// not change while calls are in flight; a Client is otherwise safe for
// concurrent use.
type Client struct {
	// BaseURL is the API root that "/v1beta/..." is appended to; empty
	// means [DefaultBaseURL]. A trailing slash is ignored.
	BaseURL string
	// APIKey is sent in the x-goog-api-key header.
	APIKey string
	// HTTP sends the requests; nil means [http.DefaultClient].
	HTTP *http.Client
}

// Error is an error answer from the API: Google's
// {"error": {"code", "message", "status"}} body, or the HTTP status and the
// start of the body when the answer has no such object.
type Error struct {
	// StatusCode is the HTTP status (or the error's code when it came
	// inside a stream).
	StatusCode int
	// Status is Google's canonical status name, e.g. "INVALID_ARGUMENT";
	// it may be empty.
	Status string
	// Message is the error's message.
	Message string
}

// Error returns e.g. "400 INVALID_ARGUMENT: API key not valid.".
func (e *Error) Error() string {
	status := e.Status
	if status == "" {
		status = http.StatusText(e.StatusCode)
	}
	switch {
	case status == "":
		return fmt.Sprintf("%d: %s", e.StatusCode, e.Message)
	case e.Message == "":
		return fmt.Sprintf("%d %s", e.StatusCode, status)
	}
	return fmt.Sprintf("%d %s: %s", e.StatusCode, status, e.Message)
}

// errorBody is Google's JSON error envelope.
type errorBody struct {
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"error"`
}

// apiError builds the [Error] for an answer with a failing status from its
// body. Streaming methods sometimes wrap the envelope in a JSON array.
func apiError(status int, body []byte) *Error {
	e := &Error{StatusCode: status}
	var one errorBody
	var many []errorBody
	body = bytes.TrimSpace(body)
	switch {
	case json.Unmarshal(body, &one) == nil && one.Error != nil:
	case json.Unmarshal(body, &many) == nil && len(many) > 0 && many[0].Error != nil:
		one = many[0]
	default:
		e.Message = string(body)
		return e
	}
	e.Status, e.Message = one.Error.Status, one.Error.Message
	return e
}

// modelPath returns the resource name of a model: "gemini-2.5-flash"
// becomes "models/gemini-2.5-flash"; names already starting with
// "models/" or "tunedModels/" are kept.
func modelPath(model string) (string, error) {
	switch {
	case model == "":
		return "", errors.New("no model")
	case strings.ContainsAny(model, "?&#") || strings.Contains(model, ".."):
		return "", fmt.Errorf("invalid model name %q", model)
	case strings.HasPrefix(model, "models/"), strings.HasPrefix(model, "tunedModels/"):
		return model, nil
	}
	return "models/" + model, nil
}

// post sends body as JSON to model's method (e.g. "generateContent") with
// query appended, and returns the response when its status is 2xx; the
// caller closes its body. A failing status becomes an [*Error].
func (c *Client) post(ctx context.Context, model, method, query string, body any) (*http.Response, error) {
	name, err := modelPath(model)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding request: %w", err)
	}
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	u := base + "/" + apiVersion + "/" + name + ":" + method
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-goog-api-key", c.APIKey)
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

// call posts body to model's method and decodes the JSON answer into out.
func (c *Client) call(ctx context.Context, model, method string, body, out any) error {
	res, err := c.post(ctx, model, method, "", body)
	if err != nil {
		return ctxErr(ctx, err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return ctxErr(ctx, fmt.Errorf("decoding response: %w", err))
	}
	return nil
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
