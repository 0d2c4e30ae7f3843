package ollama

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEmbed(t *testing.T) {
	no := false
	tests := []struct {
		name     string
		req      *EmbedRequest
		wantBody map[string]any
	}{
		{
			name: "the embedding node's request",
			req: &EmbedRequest{Model: "nomic-embed-text", Input: []string{"a", "b"}, Truncate: &no,
				Options: map[string]any{"num_gpu": 1.0, "use_mmap": true}},
			wantBody: map[string]any{"model": "nomic-embed-text", "input": []any{"a", "b"}, "truncate": false,
				"options": map[string]any{"num_gpu": 1.0, "use_mmap": true}},
		},
		{
			name:     "defaults left out, dimensions",
			req:      &EmbedRequest{Model: "all-minilm", Input: []string{"a", "b"}, Dimensions: 3},
			wantBody: map[string]any{"model": "all-minilm", "input": []any{"a", "b"}, "dimensions": float64(3)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, got := newFake(t, fixture{contentType: "application/json", file: "embed.json"})
			c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
			vecs, err := c.Embed(t.Context(), tc.req)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			r := <-got
			want := received{Method: http.MethodPost, Path: "/api/embed", Accept: "application/json", ContentType: "application/json", Body: tc.wantBody}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([][]float32{{0.25, -0.5, 0.125}, {1, 0, -1}}, vecs); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmbedErrors(t *testing.T) {
	tests := []struct {
		name  string
		fx    fixture
		input []string
		want  string
	}{
		{name: "count mismatch", fx: fixture{contentType: "application/json", file: "embed.json"}, input: []string{"a"}, want: "ollama: embed: got 2 embeddings for 1 inputs"},
		{name: "unknown model", fx: fixture{status: 404, contentType: "application/json", file: "error_404.json"}, input: []string{"a"},
			want: `ollama: embed: 404 Not Found: model "llama9" not found`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newFake(t, tc.fx)
			c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
			_, err := c.Embed(t.Context(), &EmbedRequest{Model: "m", Input: tc.input})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestEmbedCancel(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := c.Embed(ctx, &EmbedRequest{Model: "m", Input: []string{"a"}})
		errc <- err
	}()
	<-arrived
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Embed error = %v, want one matching context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatalf("Embed did not return after the context was cancelled")
	}
}
