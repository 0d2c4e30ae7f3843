package embeddings

import (
	"strings"
	"testing"
)

func TestAzureOpenAIEmbeddings(t *testing.T) {
	creds := map[string]any{
		"azureOpenAIApiKey": "az-key", "azureOpenAIApiInstanceName": "myinst",
		"azureOpenAIApiDeploymentName": "embed-dep", "azureOpenAIApiVersion": "2024-10-21",
	}
	runEmbedCases(t, azureOpenAIEmbeddings, []embedCase{
		{
			name: "inputs as Flowise saves them, base path wins over env",
			data: `{"id":"azureOpenAIEmbeddings_0","name":"azureOpenAIEmbeddings","credential":"cred-1","inputs":{
				"batchSize":"100","timeout":"","basepath":"{{URL}}/openai/deployments","baseOptions":{"X-Team":"floe"}}}`,
			env:        map[string]string{"AZURE_OPENAI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      creds,
			sent:       stripped,
			wantPath:   "/openai/deployments/embed-dep/embeddings",
			wantQuery:  "api-version=2024-10-21",
			wantHeader: map[string]string{"api-key": "az-key", "Authorization": "", "X-Team": "floe"},
			wantBodies: []map[string]any{{"model": "embed-dep", "input": strs(stripped), "encoding_format": "base64"}},
		},
		{
			name: "everything from env; one text per request without a batch size",
			data: `{"id":"azureOpenAIEmbeddings_0","name":"azureOpenAIEmbeddings","inputs":{}}`,
			env: map[string]string{
				"AZURE_OPENAI_BASE_URL": "{{URL}}/openai/deployments/", "AZURE_OPENAI_API_KEY": "env-key",
				"AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME": "env-embed", "AZURE_OPENAI_API_DEPLOYMENT_NAME": "env-chat",
				"AZURE_OPENAI_API_VERSION": "2024-02-01",
			},
			texts:      numbered(3),
			wantPath:   "/openai/deployments/env-embed/embeddings",
			wantQuery:  "api-version=2024-02-01",
			wantHeader: map[string]string{"api-key": "env-key"},
			wantBodies: []map[string]any{
				{"model": "env-embed", "input": strs(numbered(3)[0:1]), "encoding_format": "base64"},
				{"model": "env-embed", "input": strs(numbered(3)[1:2]), "encoding_format": "base64"},
				{"model": "env-embed", "input": strs(numbered(3)[2:3]), "encoding_format": "base64"},
			},
		},
	})
}

func TestAzureOpenAIEmbeddingsConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		creds map[string]any
		env   map[string]string
		want  string
	}{
		{name: "no deployment", creds: map[string]any{"azureOpenAIApiVersion": "v"}, want: "no azureOpenAIApiDeploymentName"},
		{name: "no version", creds: map[string]any{"azureOpenAIApiDeploymentName": "d"}, want: "no azureOpenAIApiVersion"},
		{name: "no instance or base path", creds: map[string]any{"azureOpenAIApiDeploymentName": "d", "azureOpenAIApiVersion": "v"}, want: "no azureOpenAIApiInstanceName"},
		{
			name:  "instance gives the default host",
			creds: map[string]any{"azureOpenAIApiDeploymentName": "d", "azureOpenAIApiVersion": "v", "azureOpenAIApiInstanceName": "inst"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env)
			d := nodeData(t, `{"id":"azureOpenAIEmbeddings_0","name":"azureOpenAIEmbeddings","credential":"cred-1","inputs":{}}`)
			inst, err := azureOpenAIEmbeddings.Init(t.Context(), d, runtime(tc.creds))
			if tc.want == "" {
				if err != nil || inst == nil {
					t.Fatalf("Init = %v, %v; want an instance", inst, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Init error = %v, want one containing %q", err, tc.want)
			}
			if inst != nil {
				t.Errorf("Init instance = %v, want nil", inst)
			}
		})
	}
}
