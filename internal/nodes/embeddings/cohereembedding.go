package embeddings

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inInputType = "inputType"

// cohereEmbeddings mirrors Flowise's CohereEmbedding node
// (nodes/embeddings/CohereEmbedding): Cohere's POST /v1/embed, which the
// Cohere SDK under LangChain's CohereEmbeddings calls, with batches of 48
// texts and float vectors. Flowise has no base URL input; COHERE_BASE_URL
// (the API root, without /v1) overrides https://api.cohere.com.
//
// LangChain sends input_type search_document when embedding documents and
// search_query for a query; a Floe node embeds both through one method, so
// it sends the Type input (search_query when absent, the input's default).
var cohereEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "Cohere Embedding",
		Name:        "cohereEmbeddings",
		Version:     3,
		Type:        "CohereEmbeddings",
		Icon:        "Cohere.svg",
		Category:    category,
		Description: "Cohere API to generate embeddings for a given text",
		BaseClasses: []string{"CohereEmbeddings", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"cohereApi"}},
		Inputs: []node.Param{
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "embed-english-v2.0"},
			{
				Label:       "Type",
				Name:        inInputType,
				Type:        node.TypeOptions,
				Description: `Specifies the type of input passed to the model. Required for embedding models v3 and higher. <a target="_blank" href="https://docs.cohere.com/reference/embed">Official Docs</a>`,
				Options: []node.Option{
					{Label: "search_document", Name: "search_document", Description: "Use this to encode documents for embeddings that you store in a vector database for search use-cases"},
					{Label: "search_query", Name: "search_query", Description: "Use this when you query your vector DB to find relevant documents."},
					{Label: "classification", Name: "classification", Description: "Use this when you use the embeddings as an input to a text classifier"},
					{Label: "clustering", Name: "clustering", Description: "Use this when you want to cluster the embeddings."},
				},
				Default:  "search_query",
				Optional: true,
			},
		},
	},
	Init: initCohereEmbeddings,
	Load: map[string]node.LoadFunc{"listModels": listModels("cohereEmbeddings")},
}

func initCohereEmbeddings(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "cohereEmbeddings"
	strs, err := readStrings(data, inModelName, inInputType)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "cohereApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	e := &cohereEmbedder{
		api:       restCall{node: name, vendor: "cohere", client: rt.Client(), url: baseURL("", "COHERE_BASE_URL", "https://api.cohere.com") + "/v1/embed", apiKey: key},
		model:     cmp.Or(strs[0], "embed-english-v2.0"),
		inputType: cmp.Or(strs[1], "search_query"),
	}
	return &batcher{node: name, size: 48, concurrency: defaultConcurrency, call: e.Embed}, nil
}

// cohereEmbedder calls Cohere's embed endpoint. It is safe for concurrent
// use.
type cohereEmbedder struct {
	api       restCall
	model     string
	inputType string
}

// cohereRequest is the body of POST /v1/embed.
type cohereRequest struct {
	Model          string   `json:"model"`
	Texts          []string `json:"texts"`
	InputType      string   `json:"input_type,omitempty"`
	EmbeddingTypes []string `json:"embedding_types"`
}

// Embed sends texts in one request; see [llm.Embedder].
func (e *cohereEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	var res struct {
		// Embeddings is {"float": [[...]]} when embedding_types is set
		// (response_type embeddings_by_type), else [[...]].
		Embeddings json.RawMessage `json:"embeddings"`
	}
	req := cohereRequest{Model: e.model, Texts: texts, InputType: e.inputType, EmbeddingTypes: []string{"float"}}
	if err := e.api.post(ctx, req, &res); err != nil {
		return nil, err
	}
	var vecs [][]float32
	var err error
	if raw := bytes.TrimSpace(res.Embeddings); len(raw) > 0 && raw[0] == '{' {
		var byType struct {
			Float [][]float32 `json:"float"`
		}
		err = json.Unmarshal(raw, &byType)
		vecs = byType.Float
	} else {
		err = json.Unmarshal(raw, &vecs)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: calling cohere: decoding the embeddings: %w", e.api.node, err)
	}
	return vecs, nil
}

var _ llm.Embedder = (*cohereEmbedder)(nil)
