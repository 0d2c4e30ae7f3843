package embeddings

import "github.com/floehq/floe/internal/node"

// openAIEmbeddingsCustom mirrors Flowise's OpenAIEmbeddingCustom node
// (nodes/embeddings/OpenAIEmbeddingCustom): a custom or fine-tuned model on
// any OpenAI-compatible embeddings endpoint. It behaves as
// [openAIEmbeddings]; only the model name is free text.
var openAIEmbeddingsCustom = node.Definition{
	Spec: node.Spec{
		Label:       "OpenAI Custom Embedding",
		Name:        "openAIEmbeddingsCustom",
		Version:     3,
		Type:        "OpenAIEmbeddingsCustom",
		Icon:        "openai.svg",
		Category:    category,
		Description: "OpenAI API to generate embeddings for a given text",
		BaseClasses: []string{"OpenAIEmbeddingsCustom", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"openAIApi"}},
		Inputs: []node.Param{
			stripNewLinesParam, batchSizeParam, timeoutParam, basepathParam, baseOptionsParam,
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Optional: true},
			dimensionsParam, encodingParam,
		},
	},
	Init: openAIInit("openAIEmbeddingsCustom"),
}
