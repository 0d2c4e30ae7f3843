package embeddings

import "testing"

// geminiRequests is the batchEmbedContents body for texts.
func geminiRequests(model, task string, texts []string) map[string]any {
	reqs := make([]any, len(texts))
	for i, t := range texts {
		reqs[i] = map[string]any{
			"content":  map[string]any{"parts": []any{map[string]any{"text": t}}, "role": "user"},
			"model":    "models/" + model,
			"taskType": task,
		}
	}
	return map[string]any{"requests": reqs}
}

func TestGoogleGenerativeAiEmbeddings(t *testing.T) {
	runEmbedCases(t, googleGenerativeAiEmbeddings, []embedCase{
		{
			name: "inputs as Flowise saves them, base URL from env",
			data: `{"id":"googleGenerativeAiEmbeddings_0","name":"googleGenerativeAiEmbeddings","credential":"cred-1","inputs":{
				"modelName":"gemini-embedding-001","tasktype":"RETRIEVAL_DOCUMENT","stripNewLines":""}}`,
			env:        map[string]string{"GOOGLE_GEMINI_BASE_URL": "{{URL}}"},
			creds:      map[string]any{"googleGenerativeAPIKey": "g-key"},
			wantPath:   "/v1beta/models/gemini-embedding-001:batchEmbedContents",
			wantHeader: map[string]string{"x-goog-api-key": "g-key"},
			wantBodies: []map[string]any{geminiRequests("gemini-embedding-001", "RETRIEVAL_DOCUMENT", sample)},
		},
		{
			name: "strip new lines, unknown task type, 150 texts in batches of 100",
			data: `{"id":"googleGenerativeAiEmbeddings_0","name":"googleGenerativeAiEmbeddings","inputs":{
				"googleGenerativeAPIKey":"g-in","modelName":"models/text-embedding-004","tasktype":"OTHER","stripNewLines":true}}`,
			env:      map[string]string{"GOOGLE_GEMINI_BASE_URL": "{{URL}}/"},
			texts:    append(append([]string{}, sample...), numbered(147)...),
			sent:     append(append([]string{}, stripped...), numbered(147)...),
			wantPath: "/v1beta/models/text-embedding-004:batchEmbedContents",
			wantBodies: []map[string]any{
				geminiRequests("text-embedding-004", "TASK_TYPE_UNSPECIFIED", append(append([]string{}, stripped...), numbered(97)...)),
				geminiRequests("text-embedding-004", "TASK_TYPE_UNSPECIFIED", numbered(147)[97:]),
			},
		},
	})
}
