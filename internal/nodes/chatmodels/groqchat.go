package chatmodels

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// groqChat mirrors Flowise's Groq node (nodes/chatmodels/Groq): Groq's
// OpenAI-compatible API. Flowise has no base URL input; GROQ_BASE_URL
// overrides https://api.groq.com/openai/v1.
// Flowise gives it no Allow Image Uploads input, so image uploads are
// dropped.
var groqChat = node.Definition{
	Spec: node.Spec{
		Label:       "Groq",
		Name:        "groqChat",
		Version:     4,
		Type:        "GroqChat",
		Icon:        "groq.png",
		Category:    category,
		Description: "Wrapper around Groq API with LPU Inference Engine",
		BaseClasses: []string{"GroqChat", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"groqApi"}, Optional: true},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Placeholder: "llama3-70b-8192"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true},
		},
	},
	Init: initGroqChat,
	Load: map[string]node.LoadFunc{"listModels": listModels("groqChat")},
}

func initGroqChat(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "groqChat"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	model, err := data.String(inModelName, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "groqApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.Config{
		Node:         name,
		Provider:     "groq",
		BaseURL:      baseURL("", "GROQ_BASE_URL", "https://api.groq.com/openai/v1"),
		APIKey:       key,
		HTTPClient:   rt.Client(),
		Model:        model,
		Temperature:  in.temperature,
		MaxTokens:    in.maxTokens,
		Streaming:    in.streaming,
		IncludeUsage: true,
	}, noImageInput(rt, name))
}
