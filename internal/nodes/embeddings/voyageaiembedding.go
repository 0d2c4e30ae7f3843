package embeddings

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// voyageAIEmbeddings mirrors Flowise's VoyageAIEmbedding node
// (nodes/embeddings/VoyageAIEmbedding): Voyage AI's POST /v1/embeddings,
// 8 texts per request as in LangChain's VoyageEmbeddings. The URL is the
// credential's Voyage AI Endpoint (the full embeddings URL), else
// VOYAGE_BASE_URL (the API root, e.g. https://api.voyageai.com/v1) with
// "/embeddings" appended, else https://api.voyageai.com/v1/embeddings.
var voyageAIEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "VoyageAI Embedding",
		Name:        "voyageAIEmbeddings",
		Version:     2,
		Type:        "VoyageAIEmbeddings",
		Icon:        "voyageai.png",
		Category:    category,
		Description: "Voyage AI API to generate embeddings for a given text",
		BaseClasses: []string{"VoyageAIEmbeddings", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"voyageAIApi"}},
		Inputs: []node.Param{
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "voyage-2"},
		},
	},
	Init: initVoyageAIEmbeddings,
	Load: map[string]node.LoadFunc{"listModels": listModels("voyageAIEmbeddings")},
}

func initVoyageAIEmbeddings(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "voyageAIEmbeddings"
	model, err := data.String(inModelName, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "apiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	endpoint, err := node.CredentialParam(ctx, data, rt, "endpoint")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	endpoint = strings.TrimSpace(endpoint)
	if endpoint == "" {
		endpoint = baseURL("", "VOYAGE_BASE_URL", "https://api.voyageai.com/v1") + "/embeddings"
	}
	e := &voyageEmbedder{
		api:   restCall{node: name, vendor: "voyage ai", client: rt.Client(), url: endpoint, apiKey: key},
		model: cmp.Or(model, "voyage-2"),
	}
	return &batcher{node: name, size: 8, concurrency: defaultConcurrency, call: e.Embed}, nil
}

// voyageEmbedder calls Voyage AI's embeddings endpoint. It is safe for
// concurrent use.
type voyageEmbedder struct {
	api   restCall
	model string
}

// voyageRequest is the body LangChain's VoyageEmbeddings sends when only
// the model is configured.
type voyageRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

// Embed sends texts in one request and orders the answer by index; see
// [llm.Embedder].
func (e *voyageEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	var res struct {
		Data []struct {
			Embedding []float32 `json:"embedding"`
			Index     int       `json:"index"`
		} `json:"data"`
	}
	if err := e.api.post(ctx, voyageRequest{Model: e.model, Input: texts}, &res); err != nil {
		return nil, err
	}
	out := make([][]float32, len(texts))
	for _, d := range res.Data {
		if d.Index < 0 || d.Index >= len(out) || out[d.Index] != nil {
			return nil, fmt.Errorf("%s: calling voyage ai: unexpected embedding index %d for %d texts", e.api.node, d.Index, len(texts))
		}
		out[d.Index] = d.Embedding
	}
	if len(res.Data) != len(texts) {
		return nil, fmt.Errorf("%s: calling voyage ai: got %d embeddings for %d texts", e.api.node, len(res.Data), len(texts))
	}
	return out, nil
}

var _ llm.Embedder = (*voyageEmbedder)(nil)
