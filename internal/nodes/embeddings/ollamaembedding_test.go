package embeddings

import "testing"

func TestOllamaEmbedding(t *testing.T) {
	runEmbedCases(t, ollamaEmbedding, []embedCase{
		{
			name: "inputs as Flowise saves them, base URL wins over env",
			data: `{"id":"ollamaEmbedding_0","name":"ollamaEmbedding","inputs":{"baseUrl":"{{URL}}","modelName":"nomic-embed-text",
				"numGpu":"1","numThread":"4","useMMap":true}}`,
			env:      map[string]string{"OLLAMA_BASE_URL": "http://127.0.0.1:1/unused"},
			texts:    numbered(20),
			wantPath: "/api/embed",
			wantBodies: []map[string]any{{
				"model": "nomic-embed-text", "input": strs(numbered(20)), "truncate": false,
				"options": map[string]any{"num_gpu": 1.0, "num_thread": 4.0, "use_mmap": true},
			}},
		},
		{
			name:     "base URL from env, mmap off, newlines kept",
			data:     `{"id":"ollamaEmbedding_0","name":"ollamaEmbedding","inputs":{"baseUrl":"","modelName":"all-minilm","numGpu":"","numThread":"","useMMap":false}}`,
			env:      map[string]string{"OLLAMA_BASE_URL": "{{URL}}/"},
			wantPath: "/api/embed",
			wantBodies: []map[string]any{{
				"model": "all-minilm", "input": strs(sample), "truncate": false, "options": map[string]any{"use_mmap": false},
			}},
		},
	})
}
