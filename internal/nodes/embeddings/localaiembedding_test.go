package embeddings

import "testing"

func TestLocalAIEmbeddings(t *testing.T) {
	runEmbedCases(t, localAIEmbeddings, []embedCase{
		{
			// The Local QnA template's inputs.
			name:       "base path input, no credential sends sk-",
			data:       `{"id":"localAIEmbeddings_0","name":"localAIEmbeddings","inputs":{"basePath":"{{URL}}/v1","modelName":"text-embedding-ada-002"}}`,
			env:        map[string]string{"LOCALAI_BASE_URL": "http://127.0.0.1:1/unused"},
			sent:       stripped,
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer sk-"},
			wantBodies: []map[string]any{{"model": "text-embedding-ada-002", "input": strs(stripped), "encoding_format": "base64"}},
		},
		{
			name:       "base URL from env, key from the credential",
			data:       `{"id":"localAIEmbeddings_0","name":"localAIEmbeddings","credential":"cred-1","inputs":{"basePath":"","modelName":"bert"}}`,
			env:        map[string]string{"LOCALAI_BASE_URL": "{{URL}}/v1"},
			creds:      map[string]any{"localAIApiKey": "local-key"},
			sent:       stripped,
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer local-key"},
			wantBodies: []map[string]any{{"model": "bert", "input": strs(stripped), "encoding_format": "base64"}},
		},
	})
}
