package embeddings

import (
	"cmp"
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// inLocalAIBasePath is the LocalAI node's base URL input (spelled unlike
// the OpenAI nodes' basepath).
const inLocalAIBasePath = "basePath"

// localAIEmbeddings mirrors Flowise's LocalAIEmbedding node
// (nodes/embeddings/LocalAIEmbedding): a LocalAI server's OpenAI-compatible
// embeddings API, with LangChain's OpenAIEmbeddings defaults (batches of
// 512, newlines stripped). The base URL is the Base Path input, else
// LOCALAI_BASE_URL, else http://localhost:8080/v1 (Flowise itself has no
// default). As in Flowise, "sk-" stands in for a missing key.
var localAIEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "LocalAI Embedding",
		Name:        "localAIEmbeddings",
		Version:     1,
		Type:        "LocalAI Embeddings",
		Icon:        "localai.png",
		Category:    category,
		Description: "Use local embeddings models like llama.cpp",
		BaseClasses: []string{"LocalAI Embeddings", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"localAIApi"}, Optional: true},
		Inputs: []node.Param{
			{Label: "Base Path", Name: inLocalAIBasePath, Type: node.TypeString, Placeholder: "http://localhost:8080/v1"},
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Placeholder: "text-embedding-ada-002"},
		},
	},
	Init: initLocalAIEmbeddings,
}

func initLocalAIEmbeddings(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "localAIEmbeddings"
	strs, err := readStrings(data, inModelName, inLocalAIBasePath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "localAIApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.EmbedConfig{
		Node:           name,
		Provider:       "localai",
		BaseURL:        baseURL(strs[1], "LOCALAI_BASE_URL", "http://localhost:8080/v1"),
		APIKey:         cmp.Or(key, "sk-"),
		HTTPClient:     rt.Client(),
		Model:          cmp.Or(strs[0], "text-embedding-ada-002"),
		EncodingFormat: openai.EncodingBase64,
	}, 512, true)
}
