// Package embeddings holds Flowise's "Embeddings" category nodes: the
// vendor embedding APIs (OpenAI and the OpenAI-compatible vendors, Azure
// OpenAI, Ollama, Google Gemini, Cohere, Mistral, Voyage AI, Together AI)
// behind [llm.Embedder].
//
// Each node reads its inputs with Flowise's names and defaults, and splits
// texts into requests as Flowise's LangChain class does (see batcher).
// Vendor base URLs come from the node's base path input when Flowise has
// one, else from an environment variable (OPENAI_BASE_URL,
// OLLAMA_BASE_URL, ...), else the vendor's default, as for the chat models.
package embeddings

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	for _, def := range []node.Definition{
		openAIEmbeddings, openAIEmbeddingsCustom, azureOpenAIEmbeddings, localAIEmbeddings,
		ollamaEmbedding, googleGenerativeAiEmbeddings, cohereEmbeddings, mistralAIEmbeddings,
		voyageAIEmbeddings, togetherAIEmbedding,
	} {
		r.MustRegister(def)
	}
}
