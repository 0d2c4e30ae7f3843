package embeddings

import "testing"

func TestVoyageAIEmbeddings(t *testing.T) {
	runEmbedCases(t, voyageAIEmbeddings, []embedCase{
		{
			name:       "endpoint from the credential wins over env",
			data:       `{"id":"voyageAIEmbeddings_0","name":"voyageAIEmbeddings","credential":"cred-1","inputs":{"modelName":"voyage-3"}}`,
			env:        map[string]string{"VOYAGE_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"apiKey": "v-key", "endpoint": "{{URL}}/custom/v1/embeddings"},
			wantPath:   "/custom/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer v-key"},
			wantBodies: []map[string]any{{"model": "voyage-3", "input": strs(sample)}},
		},
		{
			name:     "base URL from env, 10 texts in batches of 8",
			data:     `{"id":"voyageAIEmbeddings_0","name":"voyageAIEmbeddings","inputs":{"modelName":""}}`,
			env:      map[string]string{"VOYAGE_BASE_URL": "{{URL}}/v1/"},
			texts:    numbered(10),
			wantPath: "/v1/embeddings",
			wantBodies: []map[string]any{
				{"model": "voyage-2", "input": strs(numbered(10)[:8])},
				{"model": "voyage-2", "input": strs(numbered(10)[8:])},
			},
		},
	})
}
