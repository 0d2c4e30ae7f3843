package embeddings

import "testing"

func TestOpenAIEmbeddings(t *testing.T) {
	runEmbedCases(t, openAIEmbeddings, []embedCase{
		{
			name: "inputs as Flowise saves them, basepath wins over env",
			data: `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","credential":"cred-1","inputs":{
				"modelName":"text-embedding-3-small","stripNewLines":"","batchSize":"2","timeout":"30000",
				"basepath":"{{URL}}/v1","baseOptions":"{\"X-Team\":\"floe\"}","dimensions":"8","encodingFormat":"float"}}`,
			env:        map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"openAIApiKey": "sk-test"},
			sent:       stripped,
			dims:       8,
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer sk-test", "X-Team": "floe"},
			wantBodies: []map[string]any{
				{"model": "text-embedding-3-small", "input": strs(stripped[2:]), "dimensions": 8.0, "encoding_format": "float"},
				{"model": "text-embedding-3-small", "input": strs(stripped[:2]), "dimensions": 8.0, "encoding_format": "float"},
			},
		},
		{
			// The inputs of the Github Docs QnA template and the body
			// Flowise 3.1.4 sent (shared/reference/samples): base64 vectors,
			// newlines stripped although the input is off.
			name: "the Flowise template, base URL from env",
			data: `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"modelName":"text-embedding-ada-002",
				"stripNewLines":"","batchSize":"","timeout":"","basepath":"","dimensions":""}}`,
			env:        map[string]string{"OPENAI_BASE_URL": "{{URL}}/proxy/v1/"},
			sent:       stripped,
			wantPath:   "/proxy/v1/embeddings",
			wantHeader: map[string]string{"Authorization": ""},
			wantBodies: []map[string]any{
				{"model": "text-embedding-ada-002", "input": strs(stripped), "encoding_format": "base64"},
			},
		},
		{
			name:     "stripNewLines false keeps newlines, key as input",
			data:     `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"stripNewLines":false,"basepath":"{{URL}}","openAIApiKey":"sk-in"}}`,
			wantPath: "/embeddings", wantHeader: map[string]string{"Authorization": "Bearer sk-in"},
			wantBodies: []map[string]any{
				{"model": "text-embedding-ada-002", "input": strs(sample), "encoding_format": "base64"},
			},
		},
		{
			name:     "five texts in batches of two",
			data:     `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"batchSize":2,"basepath":"{{URL}}"}}`,
			texts:    numbered(5),
			wantPath: "/embeddings",
			wantBodies: []map[string]any{
				{"model": "text-embedding-ada-002", "input": strs(numbered(5)[0:2]), "encoding_format": "base64"},
				{"model": "text-embedding-ada-002", "input": strs(numbered(5)[2:4]), "encoding_format": "base64"},
				{"model": "text-embedding-ada-002", "input": strs(numbered(5)[4:5]), "encoding_format": "base64"},
			},
		},
		{
			name:     "600 texts in LangChain's default batches of 512",
			data:     `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"basepath":"{{URL}}"}}`,
			texts:    numbered(600),
			wantPath: "/embeddings",
			wantBodies: []map[string]any{
				{"model": "text-embedding-ada-002", "input": strs(numbered(600)[:512]), "encoding_format": "base64"},
				{"model": "text-embedding-ada-002", "input": strs(numbered(600)[512:]), "encoding_format": "base64"},
			},
		},
		{
			name:       "no texts, no request",
			data:       `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"basepath":"{{URL}}"}}`,
			texts:      []string{},
			wantBodies: nil,
		},
	})
}

func TestOpenAIEmbeddingsCustom(t *testing.T) {
	runEmbedCases(t, openAIEmbeddingsCustom, []embedCase{
		{
			name: "custom model at a base path",
			data: `{"id":"openAIEmbeddingsCustom_0","name":"openAIEmbeddingsCustom","credential":"cred-1","inputs":{
				"stripNewLines":true,"batchSize":"","timeout":"","basepath":"{{URL}}/v1","baseOptions":"",
				"modelName":"ft:my-embed","dimensions":"","encodingFormat":"base64"}}`,
			creds:      map[string]any{"openAIApiKey": "sk-custom"},
			sent:       stripped,
			wantPath:   "/v1/embeddings",
			wantHeader: map[string]string{"Authorization": "Bearer sk-custom"},
			wantBodies: []map[string]any{{"model": "ft:my-embed", "input": strs(stripped), "encoding_format": "base64"}},
		},
		{
			name:       "no model, base URL from env",
			data:       `{"id":"openAIEmbeddingsCustom_0","name":"openAIEmbeddingsCustom","inputs":{"dimensions":"16"}}`,
			env:        map[string]string{"OPENAI_BASE_URL": "{{URL}}"},
			sent:       stripped,
			dims:       16,
			wantPath:   "/embeddings",
			wantBodies: []map[string]any{{"model": "text-embedding-ada-002", "input": strs(stripped), "dimensions": 16.0, "encoding_format": "base64"}},
		},
	})
}
