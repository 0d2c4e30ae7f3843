package credentials

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestRegisterBuiltins(t *testing.T) {
	r := NewRegistry()
	Register(r)
	tests := []struct {
		name      string
		inputs    []string
		passwords []string
	}{
		{name: "openAIApi", inputs: []string{"openAIApiKey"}, passwords: []string{"openAIApiKey"}},
		{name: "anthropicApi", inputs: []string{"anthropicApiKey"}, passwords: []string{"anthropicApiKey"}},
		{name: "googleGenerativeAI", inputs: []string{"googleGenerativeAPIKey"}, passwords: []string{"googleGenerativeAPIKey"}},
		{
			name:      "azureOpenAIApi",
			inputs:    []string{"azureOpenAIApiKey", "azureOpenAIApiInstanceName", "azureOpenAIApiDeploymentName", "azureOpenAIApiVersion"},
			passwords: []string{"azureOpenAIApiKey"},
		},
		{name: "groqApi", inputs: []string{"groqApiKey"}, passwords: []string{"groqApiKey"}},
		{name: "mistralAIApi", inputs: []string{"mistralAIAPIKey"}, passwords: []string{"mistralAIAPIKey"}},
		{name: "ollamaApi", inputs: []string{"ollamaApiKey"}, passwords: []string{"ollamaApiKey"}},
		{name: "deepseekApi", inputs: []string{"deepseekApiKey"}, passwords: []string{"deepseekApiKey"}},
		{name: "openRouterApi", inputs: []string{"openRouterApiKey"}, passwords: []string{"openRouterApiKey"}},
		{name: "togetherAIApi", inputs: []string{"togetherAIApiKey"}, passwords: []string{"togetherAIApiKey"}},
		{name: "localAIApi", inputs: []string{"localAIApiKey"}, passwords: []string{"localAIApiKey"}},
		{name: "redisCacheUrlApi", inputs: []string{"redisUrl"}},
		{name: "PostgresApi", inputs: []string{"user", "password"}, passwords: []string{"password"}},
		{name: "pineconeApi", inputs: []string{"pineconeApiKey"}, passwords: []string{"pineconeApiKey"}},
		{name: "qdrantApi", inputs: []string{"qdrantApiKey"}, passwords: []string{"qdrantApiKey"}},
		{name: "chromaApi", inputs: []string{"chromaApiKey", "chromaTenant", "chromaDatabase"}, passwords: []string{"chromaApiKey"}},
		{name: "githubApi", inputs: []string{"accessToken"}, passwords: []string{"accessToken"}},
		{name: "cohereApi", inputs: []string{"cohereApiKey"}, passwords: []string{"cohereApiKey"}},
		{name: "voyageAIApi", inputs: []string{"endpoint", "apiKey"}, passwords: []string{"apiKey"}},
		{
			name:      "redisCacheApi",
			inputs:    []string{"redisCacheHost", "redisCachePort", "redisCacheUser", "redisCachePwd", "redisCacheSslEnabled"},
			passwords: []string{"redisCachePwd"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := r.Lookup(tc.name)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			var inputs []string
			for _, p := range s.Inputs {
				inputs = append(inputs, p.Name)
			}
			if diff := cmp.Diff(tc.inputs, inputs); diff != "" {
				t.Errorf("inputs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.passwords, s.PasswordInputs()); diff != "" {
				t.Errorf("PasswordInputs (-want +got):\n%s", diff)
			}
		})
	}
	if got := len(r.List()); got != len(tests) {
		t.Errorf("List has %d specs, want %d", got, len(tests))
	}
	if _, err := r.Lookup("notACredential"); !errors.Is(err, ErrUnknownCredential) {
		t.Errorf("Lookup(notACredential) error = %v, want ErrUnknownCredential", err)
	}
}

func TestRegistryMustRegisterPanics(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{name: "empty name", spec: Spec{Label: "X"}, want: `credentials: registering "": empty name`},
		{name: "empty label", spec: Spec{Name: "x"}, want: `credentials: registering "x": empty label`},
		{
			name: "bad input type",
			spec: Spec{Label: "X", Name: "x", Inputs: []node.Param{{Label: "K", Name: "k", Type: "secret"}}},
			want: `credentials: registering "x": param "k": unknown type "secret"`,
		},
		{name: "duplicate", spec: openAIAPI, want: `credentials: registering "openAIApi": duplicate name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRegistry()
			r.MustRegister(openAIAPI)
			if got := panicMessage(func() { r.MustRegister(tc.spec) }); got != tc.want {
				t.Errorf("panic = %q, want %q", got, tc.want)
			}
		})
	}
}

func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(string)
		}
	}()
	f()
	return "<no panic>"
}
