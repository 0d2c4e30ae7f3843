package embeddings

import "testing"

// cohereBody is the /v1/embed body for texts.
func cohereBody(model, inputType string, texts []string) map[string]any {
	return map[string]any{"model": model, "texts": strs(texts), "input_type": inputType, "embedding_types": []any{"float"}}
}

func TestCohereEmbeddings(t *testing.T) {
	runEmbedCases(t, cohereEmbeddings, []embedCase{
		{
			name:       "inputs as Flowise saves them, base URL from env",
			data:       `{"id":"cohereEmbeddings_0","name":"cohereEmbeddings","credential":"cred-1","inputs":{"modelName":"embed-english-v3.0","inputType":"search_document"}}`,
			env:        map[string]string{"COHERE_BASE_URL": "{{URL}}/"},
			creds:      map[string]any{"cohereApiKey": "co-key"},
			wantPath:   "/v1/embed",
			wantHeader: map[string]string{"Authorization": "Bearer co-key", "Content-Type": "application/json"},
			wantBodies: []map[string]any{cohereBody("embed-english-v3.0", "search_document", sample)},
		},
		{
			name:     "defaults, 100 texts in batches of 48",
			data:     `{"id":"cohereEmbeddings_0","name":"cohereEmbeddings","inputs":{"modelName":"","inputType":""}}`,
			env:      map[string]string{"COHERE_BASE_URL": "{{URL}}"},
			texts:    numbered(100),
			wantPath: "/v1/embed",
			wantBodies: []map[string]any{
				cohereBody("embed-english-v2.0", "search_query", numbered(100)[:48]),
				cohereBody("embed-english-v2.0", "search_query", numbered(100)[48:96]),
				cohereBody("embed-english-v2.0", "search_query", numbered(100)[96:]),
			},
		},
	})
}
