package openai

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func b64(v ...float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestDecodeEmbeddings(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		n       int
		want    [][]float32
		wantErr string
	}{
		{name: "floats", n: 2,
			body: `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1.25e-1,3]},{"object":"embedding","index":1,"embedding":[1,2,3]}],"model":"m","usage":{"prompt_tokens":3,"total_tokens":3}}`,
			want: [][]float32{{0.5, -0.125, 3}, {1, 2, 3}}},
		{name: "base64 out of order", n: 2,
			body: `{"data":[{"index":1,"embedding":"` + b64(1, 2) + `"},{"index":0,"embedding":"` + b64(-0.5, 0.25) + `"}]}`,
			want: [][]float32{{-0.5, 0.25}, {1, 2}}},
		{name: "whitespace and nested extras", n: 1,
			body: "{ \"usage\" : {\"a\":[1,{\"b\":\"x\\\"}]\"}]} ,\n \"data\" : [ { \"embedding\" : [ 1 , 2 ] , \"index\" : 0 , \"meta\" : {\"k\":\"v\\\\\"} } ] }",
			want: [][]float32{{1, 2}}},
		{name: "escaped key falls back to encoding/json", n: 1,
			body: `{"d\u0061ta":[{"index":0,"embedding":[4,5]}]}`,
			want: [][]float32{{4, 5}}},
		{name: "escaped base64 falls back", n: 1,
			body: `{"data":[{"index":0,"embedding":"` + strings.Replace(b64(7, 8), "/", `\/`, 1) + `"}]}`,
			want: [][]float32{{7, 8}}},
		{name: "duplicate index", n: 2,
			body:    `{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}`,
			wantErr: "unexpected embedding index 0"},
		{name: "index out of range", n: 1,
			body:    `{"data":[{"index":3,"embedding":[1]}]}`,
			wantErr: "unexpected embedding index 3"},
		{name: "bad base64", n: 1,
			body:    `{"data":[{"index":0,"embedding":"@@@@"}]}`,
			wantErr: "decoding a base64 embedding"},
		{name: "not json", n: 1, body: `<html>`, wantErr: "decoding the embeddings response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := make([][]float32, tt.n)
			err := decodeEmbeddings([]byte(tt.body), out)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeEmbeddings: %v", err)
			}
			if diff := cmp.Diff(tt.want, out); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
		})
	}
}

// The fast decoder and encoding/json agree on a realistic batch.
func TestDecodeEmbeddingsMatchesJSON(t *testing.T) {
	for _, format := range []string{"base64", "float"} {
		body := embeddingsBody(64, 1536, format)
		fast := make([][]float32, 64)
		if err := decodeEmbeddings(body, fast); err != nil {
			t.Fatalf("%s: decodeEmbeddings: %v", format, err)
		}
		slow := make([][]float32, 64)
		if err := decodeEmbeddingsJSON(body, slow); err != nil {
			t.Fatalf("%s: decodeEmbeddingsJSON: %v", format, err)
		}
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Errorf("%s: fast decoder differs from encoding/json (-json +fast):\n%s", format, diff)
		}
	}
}

func embeddingsBody(n, dim int, format string) []byte {
	type item struct {
		Object    string `json:"object"`
		Index     int    `json:"index"`
		Embedding any    `json:"embedding"`
	}
	items := make([]item, n)
	for i := range items {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(math.Sin(float64(i*dim+j))) / 7
		}
		var e any = v
		if format == "base64" {
			e = b64(v...)
		}
		items[n-1-i] = item{Object: "embedding", Index: i, Embedding: e}
	}
	b, _ := json.Marshal(map[string]any{"object": "list", "data": items, "model": "text-embedding-3-small", "usage": map[string]int{"prompt_tokens": n, "total_tokens": n}})
	return b
}

func BenchmarkDecodeEmbeddings(b *testing.B) {
	for _, format := range []string{"base64", "float"} {
		body := embeddingsBody(512, 1536, format)
		for _, dec := range []struct {
			name string
			fn   func([]byte, [][]float32) error
		}{{"fast", decodeEmbeddings}, {"encoding-json", decodeEmbeddingsJSON}} {
			b.Run(fmt.Sprintf("%s/%s", format, dec.name), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					if err := dec.fn(body, make([][]float32, 512)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
