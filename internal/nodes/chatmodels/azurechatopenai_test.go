package chatmodels

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/node"
)

var azureCreds = map[string]any{
	"azureOpenAIApiKey": "az-key", "azureOpenAIApiInstanceName": "myres",
	"azureOpenAIApiDeploymentName": "gpt4o-dep", "azureOpenAIApiVersion": "2024-10-21",
}

func TestAzureChatOpenAI(t *testing.T) {
	runChatCases(t, azureChatOpenAI, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "base path input wins over env",
			data: `{"id":"azureChatOpenAI_0","name":"azureChatOpenAI","credential":"cred-1","inputs":{
				"modelName":"gpt-4o","temperature":"0.3","maxTokens":"100","topP":"0.9","timeout":"60000",
				"basepath":"{{URL}}/openai/deployments/","baseOptions":{"X-Trace":"1"}}}`,
			env:        map[string]string{"AZURE_OPENAI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      azureCreds,
			wantPath:   "/openai/deployments/gpt4o-dep/chat/completions",
			wantQuery:  "api-version=2024-10-21",
			wantHeader: map[string]string{"Api-Key": "az-key", "Authorization": "", "X-Trace": "1"},
			wantBody: map[string]any{
				"model": "gpt-4o", "messages": openAIMessages, "temperature": 0.3, "top_p": 0.9,
				"max_completion_tokens": float64(100), "stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name: "env base URL and env credentials, deployment as model",
			data: `{"id":"azureChatOpenAI_0","name":"azureChatOpenAI","inputs":{"streaming":false}}`,
			env: map[string]string{
				"AZURE_OPENAI_BASE_URL": "{{URL}}/openai/deployments", "AZURE_OPENAI_API_KEY": "env-key",
				"AZURE_OPENAI_API_DEPLOYMENT_NAME": "dep2", "AZURE_OPENAI_API_VERSION": "2025-01-01-preview",
			},
			wantPath:   "/openai/deployments/dep2/chat/completions",
			wantQuery:  "api-version=2025-01-01-preview",
			wantHeader: map[string]string{"Api-Key": "env-key"},
			wantBody:   map[string]any{"model": "dep2", "messages": openAIMessages},
			wantText:   "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestAzureChatOpenAIErrors(t *testing.T) {
	runErrorCases(t, azureChatOpenAI, []errorCase{{
		name: "401",
		data: `{"id":"azureChatOpenAI_0","name":"azureChatOpenAI","inputs":{"basepath":"{{URL}}",
			"azureOpenAIApiKey":"bad","azureOpenAIApiDeploymentName":"d","azureOpenAIApiVersion":"v"}}`,
		answer: fail("openai", 401),
		want:   []string{"azureChatOpenAI: calling azure openai", "401"},
	}})
}

func TestAzureChatOpenAIInitErrors(t *testing.T) {
	setEnv(t, nil)
	for _, tc := range []struct{ inputs, want string }{
		{`{"azureOpenAIApiVersion":"v","azureOpenAIApiInstanceName":"i"}`, "no azureOpenAIApiDeploymentName"},
		{`{"azureOpenAIApiDeploymentName":"d","azureOpenAIApiInstanceName":"i"}`, "no azureOpenAIApiVersion"},
		{`{"azureOpenAIApiDeploymentName":"d","azureOpenAIApiVersion":"v"}`, "no azureOpenAIApiInstanceName"},
	} {
		var d node.Data
		if err := json.Unmarshal([]byte(`{"id":"a","name":"azureChatOpenAI","inputs":`+tc.inputs+`}`), &d); err != nil {
			t.Fatalf("building data: %v", err)
		}
		inst, err := azureChatOpenAI.Init(t.Context(), &d, &node.Runtime{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Init(%s) = %v, %v; want an error containing %q", tc.inputs, inst, err, tc.want)
		}
		if inst != nil {
			t.Errorf("Init returned a non-nil instance %#v with its error", inst)
		}
	}
}

func TestAzureChatOpenAICancel(t *testing.T) {
	testCancel(t, azureChatOpenAI, `{"id":"a","name":"azureChatOpenAI","inputs":{"basepath":"{{URL}}",
		"azureOpenAIApiKey":"k","azureOpenAIApiDeploymentName":"d","azureOpenAIApiVersion":"v"}}`, nil, openAIAnswer("openai/stream.sse"))
}
