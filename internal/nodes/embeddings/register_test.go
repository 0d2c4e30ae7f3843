package embeddings

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid or duplicate spec
	// Node name → accepted credential types, as in Flowise.
	want := map[string][]string{
		"azureOpenAIEmbeddings":        {"azureOpenAIApi"},
		"cohereEmbeddings":             {"cohereApi"},
		"googleGenerativeAiEmbeddings": {"googleGenerativeAI"},
		"localAIEmbeddings":            {"localAIApi"},
		"mistralAIEmbeddings":          {"mistralAIApi"},
		"ollamaEmbedding":              nil,
		"openAIEmbeddings":             {"openAIApi"},
		"openAIEmbeddingsCustom":       {"openAIApi"},
		"togetherAIEmbedding":          {"togetherAIApi"},
		"voyageAIEmbeddings":           {"voyageAIApi"},
	}
	got := map[string][]string{}
	for _, def := range r.List() {
		s := def.Spec
		got[s.Name] = nil
		if s.Credential != nil {
			got[s.Name] = s.Credential.CredentialNames
		}
		if s.Category != "Embeddings" {
			t.Errorf("%s: category = %q, want Embeddings", s.Name, s.Category)
		}
		if len(s.BaseClasses) < 2 || s.BaseClasses[0] != s.Type || s.BaseClasses[len(s.BaseClasses)-1] != "Embeddings" {
			t.Errorf("%s: base classes %v, want the type first and Embeddings last", s.Name, s.BaseClasses)
		}
		for _, p := range s.Inputs {
			if p.LoadMethod == "" {
				continue
			}
			opts, err := def.Load[p.LoadMethod](t.Context(), &node.Data{}, &node.Runtime{})
			if err != nil || len(opts) == 0 {
				t.Errorf("%s: %s() = %d options, %v; want some", s.Name, p.LoadMethod, len(opts), err)
			}
			if p.Default != nil && !slices.ContainsFunc(opts, func(o node.Option) bool { return o.Name == fmt.Sprint(p.Default) }) {
				t.Errorf("%s: default model %v is not among the listed models", s.Name, p.Default)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("registered nodes and credentials (-want +got):\n%s", diff)
	}
}

func TestSpecInputs(t *testing.T) {
	// Input names and defaults of each node, in order, as in Flowise
	// 3.1.3's node classes (packages/components/nodes/embeddings).
	openAIAdvanced := []string{"stripNewLines", "batchSize", "timeout", "basepath", "baseOptions"}
	want := map[string][]string{
		"openAIEmbeddings":             append(append([]string{"modelName=text-embedding-ada-002"}, openAIAdvanced...), "dimensions", "encodingFormat"),
		"openAIEmbeddingsCustom":       append(append([]string{}, openAIAdvanced...), "modelName", "dimensions", "encodingFormat"),
		"azureOpenAIEmbeddings":        {"batchSize=100", "timeout", "basepath", "baseOptions"},
		"localAIEmbeddings":            {"basePath", "modelName"},
		"ollamaEmbedding":              {"baseUrl=http://localhost:11434", "modelName", "numGpu", "numThread", "useMMap=true"},
		"googleGenerativeAiEmbeddings": {"modelName=gemini-embedding-001", "tasktype=TASK_TYPE_UNSPECIFIED", "stripNewLines"},
		"cohereEmbeddings":             {"modelName=embed-english-v2.0", "inputType=search_query"},
		"mistralAIEmbeddings":          {"modelName=mistral-embed", "batchSize=512", "stripNewLines=true", "overrideEndpoint"},
		"voyageAIEmbeddings":           {"modelName=voyage-2"},
		"togetherAIEmbedding":          {"cache", "modelName"},
	}
	r := node.NewRegistry()
	Register(r)
	got := map[string][]string{}
	for _, def := range r.List() {
		var names []string
		for _, p := range def.Spec.Inputs {
			s := p.Name
			if p.Default != nil {
				s += "=" + fmt.Sprint(p.Default)
			}
			names = append(names, s)
		}
		got[def.Spec.Name] = names
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
}
