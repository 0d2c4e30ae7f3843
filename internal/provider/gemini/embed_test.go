package gemini

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBatchEmbedContents(t *testing.T) {
	content := func(s string) Content { return Content{Role: RoleUser, Parts: []Part{{Text: s}}} }
	wantContent := func(s string) map[string]any {
		return map[string]any{"role": "user", "parts": []any{map[string]any{"text": s}}}
	}
	tests := []struct {
		name     string
		model    string
		reqs     []EmbedContentRequest
		wantPath string
		wantBody map[string]any
	}{
		{
			name:  "model filled in, task type",
			model: "gemini-embedding-001",
			reqs: []EmbedContentRequest{
				{Content: content("a"), TaskType: "RETRIEVAL_DOCUMENT"},
				{Content: content("b"), TaskType: "RETRIEVAL_DOCUMENT", Title: "T", OutputDimensionality: 3},
			},
			wantPath: "/v1beta/models/gemini-embedding-001:batchEmbedContents",
			wantBody: map[string]any{"requests": []any{
				map[string]any{"model": "models/gemini-embedding-001", "content": wantContent("a"), "taskType": "RETRIEVAL_DOCUMENT"},
				map[string]any{"model": "models/gemini-embedding-001", "content": wantContent("b"), "taskType": "RETRIEVAL_DOCUMENT",
					"title": "T", "outputDimensionality": float64(3)},
			}},
		},
		{
			name:  "resource name, request's own model kept",
			model: "models/text-embedding-004",
			reqs: []EmbedContentRequest{
				{Content: content("a")},
				{Model: "models/other", Content: content("b")},
			},
			wantPath: "/v1beta/models/text-embedding-004:batchEmbedContents",
			wantBody: map[string]any{"requests": []any{
				map[string]any{"model": "models/text-embedding-004", "content": wantContent("a")},
				map[string]any{"model": "models/other", "content": wantContent("b")},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, got := newFake(t, fixture{contentType: "application/json", file: "batch_embed.json"})
			c := &Client{BaseURL: srv.URL, APIKey: "k", HTTP: srv.Client()}
			vecs, err := c.BatchEmbedContents(t.Context(), tc.model, tc.reqs)
			if err != nil {
				t.Fatalf("BatchEmbedContents: %v", err)
			}
			r := <-got
			if r.Path != tc.wantPath || r.APIKey != "k" {
				t.Errorf("request path %q key %q, want %q and k", r.Path, r.APIKey, tc.wantPath)
			}
			if diff := cmp.Diff(tc.wantBody, r.Body); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([][]float32{{0.25, -0.5, 0.125}, {1, 0, -1}}, vecs); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBatchEmbedContentsErrors(t *testing.T) {
	tests := []struct {
		name string
		fx   fixture
		n    int // requests sent
		want string
	}{
		{name: "count mismatch", fx: fixture{contentType: "application/json", file: "batch_embed.json"}, n: 3, want: "got 2 embeddings for 3 requests"},
		{name: "API error", fx: fixture{status: 400, contentType: "application/json", file: "error_400.json"}, n: 1, want: "400 INVALID_ARGUMENT: API key not valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newFake(t, tc.fx)
			c := &Client{BaseURL: srv.URL, APIKey: "k", HTTP: srv.Client()}
			reqs := make([]EmbedContentRequest, tc.n)
			_, err := c.BatchEmbedContents(t.Context(), "m", reqs)
			if err == nil || !strings.HasPrefix(err.Error(), "gemini: batchEmbedContents: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestEmbedContent(t *testing.T) {
	srv, got := newFake(t, fixture{contentType: "application/json", file: "embed.json"})
	c := &Client{BaseURL: srv.URL, APIKey: "k", HTTP: srv.Client()}
	vec, err := c.EmbedContent(t.Context(), "gemini-embedding-001", EmbedContentRequest{Content: Content{Parts: []Part{{Text: "q"}}}, TaskType: "RETRIEVAL_QUERY"})
	if err != nil {
		t.Fatalf("EmbedContent: %v", err)
	}
	r := <-got
	want := received{Method: http.MethodPost, Path: "/v1beta/models/gemini-embedding-001:embedContent", APIKey: "k", ContentType: "application/json",
		Body: map[string]any{"content": map[string]any{"parts": []any{map[string]any{"text": "q"}}}, "taskType": "RETRIEVAL_QUERY"}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float32{0.5, 0.25}, vec); diff != "" {
		t.Errorf("vector (-want +got):\n%s", diff)
	}
	srv, _ = newFake(t, fixture{status: 429, contentType: "application/json", file: "error_400.json"})
	c.BaseURL, c.HTTP = srv.URL, srv.Client()
	_, err = c.EmbedContent(t.Context(), "m", EmbedContentRequest{})
	if apiErr, ok := errors.AsType[*Error](err); !ok || apiErr.StatusCode != 429 {
		t.Errorf("error = %v, want an *Error with status 429", err)
	}
}
