package embeddings

import "testing"

func TestMistralAIEmbeddings(t *testing.T) {
	runEmbedCases(t, mistralAIEmbeddings, []embedCase{
		{
			name: "inputs as Flowise saves them, override endpoint wins over env",
			data: `{"id":"mistralAIEmbeddings_0","name":"mistralAIEmbeddings","credential":"cred-1","inputs":{
				"modelName":"mistral-embed","batchSize":"2","stripNewLines":true,"overrideEndpoint":"{{URL}}"}}`,
			env:        map[string]string{"MISTRAL_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"mistralAIAPIKey": "m-key"},
			sent:       stripped,
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer m-key"},
			wantBodies: []map[string]any{
				{"model": "mistral-embed", "input": strs(stripped[2:]), "encoding_format": "float"},
				{"model": "mistral-embed", "input": strs(stripped[:2]), "encoding_format": "float"},
			},
		},
		{
			name:       "env base URL with /v1, newlines kept",
			data:       `{"id":"mistralAIEmbeddings_0","name":"mistralAIEmbeddings","inputs":{"stripNewLines":false}}`,
			env:        map[string]string{"MISTRAL_BASE_URL": "{{URL}}/v1"},
			wantPath:   "/v1/embeddings",
			wantBodies: []map[string]any{{"model": "mistral-embed", "input": strs(sample), "encoding_format": "float"}},
		},
	})
}
