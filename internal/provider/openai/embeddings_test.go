package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// embedFake is an embeddings endpoint replaying a fixture from testdata.
type embedFake struct {
	srv    *httptest.Server
	got    chan captured
	status int    // error status; 0 answers with file
	file   string // fixture of a successful answer
	hold   bool   // wait for the client to go away instead of answering
	done   chan time.Time
}

func newEmbedFake(t *testing.T, file string) *embedFake {
	t.Helper()
	f := &embedFake{got: make(chan captured, 8), file: file, done: make(chan time.Time, 1)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *embedFake) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	f.got <- captured{path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), body: body}
	if f.hold {
		select {
		case <-r.Context().Done():
			f.done <- time.Now()
		case <-time.After(5 * time.Second):
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if f.status != 0 {
		w.Header().Set("x-should-retry", "false")
		w.WriteHeader(f.status)
		_, _ = w.Write(fixture("error_401.json"))
		return
	}
	_, _ = w.Write(fixture(f.file))
}

func TestEmbedder(t *testing.T) {
	tests := []struct {
		name       string
		cfg        EmbedConfig
		file       string
		wantPath   string
		wantQuery  string
		wantHeader map[string]string // "" means absent
		wantBody   map[string]any
	}{
		{
			name: "float vectors come back in input order",
			cfg: EmbedConfig{
				APIKey: "sk-test", Headers: map[string]string{"X-Team": "floe"}, Model: "text-embedding-3-small",
				Dimensions: 3, EncodingFormat: EncodingFloat,
			},
			file:       "embeddings.json",
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer sk-test", "X-Team": "floe"},
			wantBody: map[string]any{
				"model": "text-embedding-3-small", "input": []any{"first text", "second text"},
				"dimensions": 3.0, "encoding_format": "float",
			},
		},
		{
			name:       "base64 vectors are decoded; Azure-style auth",
			cfg:        EmbedConfig{Headers: map[string]string{"api-key": "az"}, Query: map[string]string{"api-version": "2024-10-21"}, Model: "dep", EncodingFormat: EncodingBase64},
			file:       "embeddings_base64.json",
			wantPath:   "/v1/embeddings",
			wantQuery:  "api-version=2024-10-21",
			wantHeader: map[string]string{"Authorization": "", "api-key": "az"},
			wantBody:   map[string]any{"model": "dep", "input": []any{"first text", "second text"}, "encoding_format": "base64"},
		},
	}
	want := [][]float32{{0.1, 0.2, 0.3}, {0.5, -0.25, 0.125}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newEmbedFake(t, tc.file)
			cfg := tc.cfg
			cfg.Node, cfg.Provider, cfg.BaseURL, cfg.HTTPClient = "testNode", "openai", f.srv.URL+"/v1", f.srv.Client()
			e, err := NewEmbedder(cfg)
			if err != nil {
				t.Fatalf("NewEmbedder: %v", err)
			}
			got, err := e.Embed(t.Context(), []string{"first text", "second text"})
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
			req := <-f.got
			if req.path != tc.wantPath || req.query != tc.wantQuery {
				t.Errorf("request to %s?%s, want %s?%s", req.path, req.query, tc.wantPath, tc.wantQuery)
			}
			for k, v := range tc.wantHeader {
				if got := req.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if diff := cmp.Diff(tc.wantBody, req.body); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmbedderErrors(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		status int
		texts  []string
		want   []string
	}{
		{name: "vendor error", status: 401, texts: []string{"a"}, want: []string{"testNode: calling openai: ", "401", "Incorrect API key provided"}},
		{name: "fewer vectors than texts", file: "embeddings_short.json", texts: []string{"a", "b"}, want: []string{"testNode: calling openai: got 1 embeddings for 2 texts"}},
		{name: "index out of range", file: "embeddings.json", texts: []string{"a"}, want: []string{"testNode: calling openai: unexpected embedding index 1 for 1 texts"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newEmbedFake(t, tc.file)
			f.status = tc.status
			e, err := NewEmbedder(EmbedConfig{Node: "testNode", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client()})
			if err != nil {
				t.Fatalf("NewEmbedder: %v", err)
			}
			got, err := e.Embed(t.Context(), tc.texts)
			if err == nil {
				t.Fatalf("Embed = %v, want an error", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if _, err := NewEmbedder(EmbedConfig{Node: "testNode", Provider: "openai"}); err == nil {
		t.Errorf("NewEmbedder without a base URL succeeded, want an error")
	}
}

func TestEmbedderNoTexts(t *testing.T) {
	f := newEmbedFake(t, "embeddings.json")
	e, err := NewEmbedder(EmbedConfig{Node: "testNode", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client()})
	if err != nil {
		t.Fatalf("NewEmbedder: %v", err)
	}
	got, err := e.Embed(t.Context(), nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Embed(nil) = %v, %v; want an empty result", got, err)
	}
	select {
	case <-f.got:
		t.Errorf("Embed(nil) sent a request")
	default:
	}
}

func TestEmbedderCancelAndTimeout(t *testing.T) {
	t.Run("cancel", func(t *testing.T) {
		f := newEmbedFake(t, "embeddings.json")
		f.hold = true
		e, _ := NewEmbedder(EmbedConfig{Node: "testNode", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client()})
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-f.got
			cancel()
		}()
		_, err := e.Embed(ctx, []string{"a"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Embed error = %v, want context.Canceled", err)
		}
		select {
		case <-f.done:
		case <-time.After(time.Second):
			t.Errorf("the fake's request context is not done after cancel")
		}
	})
	t.Run("timeout", func(t *testing.T) {
		f := newEmbedFake(t, "embeddings.json")
		f.hold = true
		e, _ := NewEmbedder(EmbedConfig{Node: "testNode", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client(), Timeout: 50 * time.Millisecond})
		_, err := e.Embed(t.Context(), []string{"a"})
		if err == nil || !strings.Contains(err.Error(), "testNode: calling openai: timed out after 50ms") || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Embed error = %v, want a timeout after 50ms", err)
		}
	})
}
