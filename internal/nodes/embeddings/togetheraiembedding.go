package embeddings

import (
	"cmp"
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// togetherAIEmbedding mirrors Flowise's TogetherAIEmbedding node
// (nodes/embeddings/TogetherAIEmbedding): Together AI's OpenAI-compatible
// /v1/embeddings. Flowise has no base URL input; TOGETHER_BASE_URL
// overrides https://api.together.xyz/v1.
//
// LangChain's TogetherAIEmbeddings sends each text in its own request, 512
// at a time; Floe sends each batch of 512 as one request with a list input,
// which the API accepts, and newlines are kept as there.
var togetherAIEmbedding = node.Definition{
	Spec: node.Spec{
		Label:       "TogetherAI Embedding",
		Name:        "togetherAIEmbedding",
		Version:     1,
		Type:        "TogetherAIEmbedding",
		Icon:        "togetherai.png",
		Category:    category,
		Description: "TogetherAI Embedding models to generate embeddings for a given text",
		BaseClasses: []string{"TogetherAIEmbedding", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"togetherAIApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: "cache", Type: "BaseCache", Optional: true},
			{
				Label:       "Model Name",
				Name:        inModelName,
				Type:        node.TypeString,
				Placeholder: "sentence-transformers/msmarco-bert-base-dot-v5",
				Description: `Refer to <a target="_blank" href="https://docs.together.ai/docs/embedding-models">embedding models</a> page`,
			},
		},
	},
	Init: initTogetherAIEmbedding,
}

func initTogetherAIEmbedding(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "togetherAIEmbedding"
	model, err := data.String(inModelName, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "togetherAIApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.EmbedConfig{
		Node:       name,
		Provider:   "together ai",
		BaseURL:    baseURL("", "TOGETHER_BASE_URL", "https://api.together.xyz/v1"),
		APIKey:     key,
		HTTPClient: rt.Client(),
		Model:      cmp.Or(model, "togethercomputer/m2-bert-80M-8k-retrieval"),
	}, 512, false)
}
