package chatmodels

import (
	"cmp"
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

const inLocalAIBasePath = "basePath"

// chatLocalAI mirrors Flowise's ChatLocalAI node (nodes/chatmodels/ChatLocalAI):
// a LocalAI server's OpenAI-compatible API. The base URL is the Base Path
// input, else LOCALAI_BASE_URL, else http://localhost:8080/v1 (Flowise
// itself has no default). As in Flowise, "sk-" stands in for a missing key.
// Flowise gives it no Allow Image Uploads input, so image uploads are
// dropped.
var chatLocalAI = node.Definition{
	Spec: node.Spec{
		Label:       "LocalAI",
		Name:        "chatLocalAI",
		Version:     3,
		Type:        "ChatLocalAI",
		Icon:        "localai.png",
		Category:    category,
		Description: "Use local LLMs like llama.cpp, gpt4all using LocalAI",
		// Flowise lists BaseChatModel twice: once by hand and once among
		// ChatOpenAI's ancestors.
		BaseClasses: []string{"ChatLocalAI", "BaseChatModel", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"localAIApi"}, Optional: true},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Base Path", Name: inLocalAIBasePath, Type: node.TypeString, Placeholder: "http://localhost:8080/v1"},
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Placeholder: "gpt4all-lora-quantized.bin"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
		},
	},
	Init: initChatLocalAI,
}

func initChatLocalAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatLocalAI"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	strs, err := readStrings(data, inModelName, inLocalAIBasePath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "localAIApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.Config{
		Node:         name,
		Provider:     "localai",
		BaseURL:      baseURL(strs[1], "LOCALAI_BASE_URL", "http://localhost:8080/v1"),
		APIKey:       cmp.Or(key, "sk-"),
		HTTPClient:   rt.Client(),
		Timeout:      in.timeout,
		Model:        strs[0],
		Temperature:  in.temperature,
		TopP:         in.topP,
		MaxTokens:    in.maxTokens,
		Streaming:    in.streaming,
		IncludeUsage: true,
	}, noImageInput(rt, name))
}
