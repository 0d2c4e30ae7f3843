package embeddings

import (
	"context"

	"github.com/floehq/floe/internal/node"
)

// models holds the model choices of the nodes whose modelName is an
// asyncOptions dropdown, keyed by node name as in the "embedding" section
// of Flowise's models.json. Floe cannot call vendor list APIs when the UI
// asks, so the lists are static; update them with new releases.
var models = map[string][]node.Option{
	"openAIEmbeddings": {
		{Label: "text-embedding-3-large", Name: "text-embedding-3-large"},
		{Label: "text-embedding-3-small", Name: "text-embedding-3-small"},
		{Label: "text-embedding-ada-002", Name: "text-embedding-ada-002"},
	},
	"mistralAIEmbeddings": {
		{Label: "mistral-embed", Name: "mistral-embed"},
	},
	"googleGenerativeAiEmbeddings": {
		{Label: "gemini-embedding-001", Name: "gemini-embedding-001"},
	},
	"cohereEmbeddings": {
		{Label: "embed-english-v3.0", Name: "embed-english-v3.0", Description: "Embedding Dimensions: 1024"},
		{Label: "embed-english-light-v3.0", Name: "embed-english-light-v3.0", Description: "Embedding Dimensions: 384"},
		{Label: "embed-multilingual-v3.0", Name: "embed-multilingual-v3.0", Description: "Embedding Dimensions: 1024"},
		{Label: "embed-multilingual-light-v3.0", Name: "embed-multilingual-light-v3.0", Description: "Embedding Dimensions: 384"},
		{Label: "embed-english-v2.0", Name: "embed-english-v2.0", Description: "Embedding Dimensions: 4096"},
		{Label: "embed-english-light-v2.0", Name: "embed-english-light-v2.0", Description: "Embedding Dimensions: 1024"},
		{Label: "embed-multilingual-v2.0", Name: "embed-multilingual-v2.0", Description: "Embedding Dimensions: 768"},
	},
	"voyageAIEmbeddings": {
		{Label: "voyage-3", Name: "voyage-3", Description: "High-performance model with strong retrieval quality, a 32K-token context and 1024 dimensions."},
		{Label: "voyage-3-lite", Name: "voyage-3-lite", Description: "Lightweight model tuned for low latency and cost, with a 32K-token context and 512 dimensions."},
		{Label: "voyage-2", Name: "voyage-2", Description: "General-purpose model balancing cost, latency and retrieval quality."},
		{Label: "voyage-code-2", Name: "voyage-code-2", Description: "Tuned for code retrieval."},
		{Label: "voyage-finance-2", Name: "voyage-finance-2", Description: "Tuned for finance retrieval and RAG."},
		{Label: "voyage-large-2", Name: "voyage-large-2", Description: "General-purpose model tuned for retrieval quality."},
		{Label: "voyage-large-2-instruct", Name: "voyage-large-2-instruct", Description: "Instruction-tuned general-purpose model for clustering, classification and retrieval."},
		{Label: "voyage-law-2", Name: "voyage-law-2", Description: "Tuned for legal and long-context retrieval and RAG."},
		{Label: "voyage-lite-02-instruct", Name: "voyage-lite-02-instruct", Description: "Instruction-tuned for classification, clustering and sentence similarity."},
		{Label: "voyage-multilingual-2", Name: "voyage-multilingual-2", Description: "Tuned for multilingual retrieval and RAG."},
	},
}

// listModels returns the loader of the named model list.
func listModels(key string) node.LoadFunc {
	return func(context.Context, *node.Data, *node.Runtime) ([]node.Option, error) {
		return append([]node.Option(nil), models[key]...), nil
	}
}
