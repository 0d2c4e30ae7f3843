package embeddings

import "testing"

func TestTogetherAIEmbedding(t *testing.T) {
	runEmbedCases(t, togetherAIEmbedding, []embedCase{
		{
			name:       "base URL from env, newlines kept",
			data:       `{"id":"togetherAIEmbedding_0","name":"togetherAIEmbedding","credential":"cred-1","inputs":{"cache":"","modelName":"BAAI/bge-large-en-v1.5"}}`,
			env:        map[string]string{"TOGETHER_BASE_URL": "{{URL}}/v1"},
			creds:      map[string]any{"togetherAIApiKey": "t-key"},
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer t-key"},
			wantBodies: []map[string]any{{"model": "BAAI/bge-large-en-v1.5", "input": strs(sample)}},
		},
		{
			name:     "LangChain's default model",
			data:     `{"id":"togetherAIEmbedding_0","name":"togetherAIEmbedding","inputs":{}}`,
			env:      map[string]string{"TOGETHER_BASE_URL": "{{URL}}"},
			wantPath: "/embeddings",
			wantBodies: []map[string]any{
				{"model": "togethercomputer/m2-bert-80M-8k-retrieval", "input": strs(sample)},
			},
		},
	})
}
