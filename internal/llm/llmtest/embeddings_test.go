package llmtest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

func TestEmbed(t *testing.T) {
	t.Run("deterministic", func(t *testing.T) {
		a, b := Embed("The capital of France is Paris", 0), Embed("The capital of France is Paris", 0)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("two calls differ (-first +second):\n%s", diff)
		}
	})
	t.Run("dimensions", func(t *testing.T) {
		for _, tc := range []struct{ dims, want int }{{0, DefaultDims}, {-3, DefaultDims}, {8, 8}, {1536, 1536}} {
			if got := len(Embed("some words", tc.dims)); got != tc.want {
				t.Errorf("len(Embed(_, %d)) = %d, want %d", tc.dims, got, tc.want)
			}
		}
	})
	t.Run("unit length", func(t *testing.T) {
		for _, text := range []string{"one", "The capital of France is Paris.", "a a a a b", strings.Repeat("word ", 1000)} {
			var sum float64
			for _, x := range Embed(text, 0) {
				sum += float64(x) * float64(x)
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Errorf("|Embed(%.20q)|² = %v, want 1", text, sum)
			}
		}
	})
	t.Run("no words is the zero vector", func(t *testing.T) {
		if diff := cmp.Diff(make([]float32, 4), Embed(" ,.!? ", 4)); diff != "" {
			t.Errorf("Embed of punctuation (-want +got):\n%s", diff)
		}
	})
	t.Run("case and punctuation do not matter", func(t *testing.T) {
		if diff := cmp.Diff(Embed("paris is the capital of france", 0), Embed("Paris, is THE capital of France!", 0)); diff != "" {
			t.Errorf("(-lower +mixed):\n%s", diff)
		}
	})
	t.Run("similar texts are closer than unrelated ones", func(t *testing.T) {
		tests := []struct{ query, near, far string }{
			{"What is the capital of France?", "The capital of France is Paris.", "Go is a statically typed compiled language."},
			{"statically typed language", "Go is a statically typed compiled language.", "Flowise is a low-code tool for LLM apps."},
			{"low-code LLM apps", "Flowise is an open source low-code tool for building LLM apps.", "The capital of France is Paris."},
		}
		for _, tc := range tests {
			q := Embed(tc.query, 0)
			near, far := cosine(q, Embed(tc.near, 0)), cosine(q, Embed(tc.far, 0))
			if near <= far {
				t.Errorf("cos(%q, near) = %.3f, cos(_, far) = %.3f; want near > far", tc.query, near, far)
			}
		}
	})
}

// post sends body as JSON to the provider and decodes the JSON answer.
func post(t *testing.T, p *Provider, path string, body any) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(body)
	res, err := http.Post(p.URL+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s %s", path, res.Status, data)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("POST %s: decoding %s: %v", path, data, err)
	}
	return out
}

// floats converts a decoded JSON number array.
func floats(v any) []float32 {
	list, _ := v.([]any)
	out := make([]float32, len(list))
	for i, x := range list {
		f, _ := x.(float64)
		out[i] = float32(f)
	}
	return out
}

// decodeBase64 decodes an OpenAI base64 embedding.
func decodeBase64(t *testing.T, v any) []float32 {
	t.Helper()
	s, _ := v.(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("decoding base64 embedding %q: %v", s, err)
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// field walks a decoded JSON value by keys (strings) and indexes (ints).
func field(v any, path ...any) any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestProviderEmbeddings(t *testing.T) {
	p := NewProvider(t)
	a, b := "The capital of France is Paris.", "Go is a compiled language."
	tests := []struct {
		name string
		path string
		body map[string]any
		// vectors extracts the answer's vectors.
		vectors func(t *testing.T, out map[string]any) [][]float32
		want    [][]float32
	}{
		{
			name: "openai float list",
			path: "/v1/embeddings",
			body: map[string]any{"model": "text-embedding-3-small", "input": []string{a, b}},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				if out["object"] != "list" || out["model"] != "text-embedding-3-small" || field(out, "data", 1, "index") != 1.0 {
					t.Errorf("answer %v lacks the OpenAI envelope", out)
				}
				return [][]float32{floats(field(out, "data", 0, "embedding")), floats(field(out, "data", 1, "embedding"))}
			},
			want: [][]float32{Embed(a, 0), Embed(b, 0)},
		},
		{
			name: "openai base64 with dimensions, single string input",
			path: "/v1/embeddings",
			body: map[string]any{"model": "m", "input": a, "encoding_format": "base64", "dimensions": 8},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{decodeBase64(t, field(out, "data", 0, "embedding"))}
			},
			want: [][]float32{Embed(a, 8)},
		},
		{
			name: "azure deployment",
			path: "/openai/deployments/dep/embeddings",
			body: map[string]any{"input": []string{b}},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "data", 0, "embedding"))}
			},
			want: [][]float32{Embed(b, 0)},
		},
		{
			name: "voyage output_dimension",
			path: "/v1/embeddings",
			body: map[string]any{"model": "voyage-3", "input": []string{a}, "output_dimension": 16},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "data", 0, "embedding"))}
			},
			want: [][]float32{Embed(a, 16)},
		},
		{
			name: "ollama /api/embed",
			path: "/api/embed",
			body: map[string]any{"model": "nomic-embed-text", "input": []string{a, b}, "truncate": false},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "embeddings", 0)), floats(field(out, "embeddings", 1))}
			},
			want: [][]float32{Embed(a, 0), Embed(b, 0)},
		},
		{
			name: "ollama legacy /api/embeddings",
			path: "/api/embeddings",
			body: map[string]any{"model": "nomic-embed-text", "prompt": a},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(out["embedding"])}
			},
			want: [][]float32{Embed(a, 0)},
		},
		{
			name: "gemini batchEmbedContents",
			path: "/v1beta/models/gemini-embedding-001:batchEmbedContents",
			body: map[string]any{"requests": []any{
				map[string]any{"model": "models/gemini-embedding-001", "content": map[string]any{"parts": []any{map[string]any{"text": a}}}},
				map[string]any{"model": "models/gemini-embedding-001", "content": map[string]any{"parts": []any{map[string]any{"text": b}}}, "outputDimensionality": 4},
			}},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "embeddings", 0, "values")), floats(field(out, "embeddings", 1, "values"))}
			},
			want: [][]float32{Embed(a, 0), Embed(b, 4)},
		},
		{
			name: "gemini embedContent",
			path: "/v1beta/models/gemini-embedding-001:embedContent",
			body: map[string]any{"content": map[string]any{"parts": []any{map[string]any{"text": b}}}},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "embedding", "values"))}
			},
			want: [][]float32{Embed(b, 0)},
		},
		{
			name: "cohere v1 by type",
			path: "/v1/embed",
			body: map[string]any{"model": "embed-english-v3.0", "texts": []string{a, b}, "input_type": "search_document", "embedding_types": []string{"float"}},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				if out["response_type"] != "embeddings_by_type" {
					t.Errorf("response_type = %v, want embeddings_by_type", out["response_type"])
				}
				return [][]float32{floats(field(out, "embeddings", "float", 0)), floats(field(out, "embeddings", "float", 1))}
			},
			want: [][]float32{Embed(a, 0), Embed(b, 0)},
		},
		{
			name: "cohere v1 floats",
			path: "/v1/embed",
			body: map[string]any{"model": "embed-english-v2.0", "texts": []string{b}},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "embeddings", 0))}
			},
			want: [][]float32{Embed(b, 0)},
		},
		{
			name: "cohere v2",
			path: "/v2/embed",
			body: map[string]any{"model": "embed-v4.0", "texts": []string{a}, "input_type": "search_query", "embedding_types": []string{"float"}, "output_dimension": 256},
			vectors: func(t *testing.T, out map[string]any) [][]float32 {
				return [][]float32{floats(field(out, "embeddings", "float", 0))}
			},
			want: [][]float32{Embed(a, 256)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p.Reset()
			got := tc.vectors(t, post(t, p, tc.path, tc.body))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
			reqs := p.Requests()
			if len(reqs) != 1 || reqs[0].Path != tc.path {
				t.Errorf("recorded requests %v, want one to %s", reqs, tc.path)
			}
		})
	}
}

func TestProviderEmbeddingsErrors(t *testing.T) {
	p := NewProvider(t)
	res, err := http.Post(p.URL+"/v1/embeddings", "application/json", strings.NewReader(`{"model":"m"}`))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("an OpenAI request without input answered %s, want 400", res.Status)
	}
}
