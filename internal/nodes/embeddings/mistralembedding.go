package embeddings

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

const inOverrideEndpoint = "overrideEndpoint"

// mistralAIEmbeddings mirrors Flowise's MistralEmbedding node
// (nodes/embeddings/MistralEmbedding): Mistral's /v1/embeddings, which
// speaks the OpenAI format. The server is the Override Endpoint input, else
// MISTRAL_BASE_URL, else https://api.mistral.ai ("/v1" is appended when
// missing). As LangChain's MistralAIEmbeddings, it asks for float vectors.
var mistralAIEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "MistralAI Embedding",
		Name:        "mistralAIEmbeddings",
		Version:     2,
		Type:        "MistralAIEmbeddings",
		Icon:        "MistralAI.svg",
		Category:    category,
		Description: "MistralAI API to generate embeddings for a given text",
		BaseClasses: []string{"MistralAIEmbeddings", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"mistralAIApi"}},
		Inputs: []node.Param{
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "mistral-embed"},
			{Label: "Batch Size", Name: inBatchSize, Type: node.TypeNumber, Step: 1, Default: 512, Optional: true, AdditionalParams: true},
			{Label: "Strip New Lines", Name: inStripNewLines, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Override Endpoint", Name: inOverrideEndpoint, Type: node.TypeString, Optional: true, AdditionalParams: true},
		},
	},
	Init: initMistralAIEmbeddings,
	Load: map[string]node.LoadFunc{"listModels": listModels("mistralAIEmbeddings")},
}

func initMistralAIEmbeddings(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "mistralAIEmbeddings"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	strs, err := readStrings(data, inModelName, inOverrideEndpoint)
	if err != nil {
		return wrap(err)
	}
	batchSize, err := positive(data, inBatchSize, 512)
	if err != nil {
		return wrap(err)
	}
	strip, err := data.Bool(inStripNewLines, true)
	if err != nil {
		return wrap(err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "mistralAIAPIKey")
	if err != nil {
		return wrap(err)
	}
	base := baseURL(strs[1], "MISTRAL_BASE_URL", "https://api.mistral.ai")
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	return newOpenAI(openai.EmbedConfig{
		Node:           name,
		Provider:       "mistral",
		BaseURL:        base,
		APIKey:         key,
		HTTPClient:     rt.Client(),
		Model:          cmp.Or(strs[0], "mistral-embed"),
		EncodingFormat: openai.EncodingFloat,
	}, batchSize, strip)
}
