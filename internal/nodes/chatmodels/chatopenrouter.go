package chatmodels

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// chatOpenRouter mirrors Flowise's ChatOpenRouter node
// (nodes/chatmodels/ChatOpenRouter): OpenRouter's OpenAI-compatible API.
// The base URL is the Base Path input (which the UI pre-fills), else
// OPENROUTER_BASE_URL, else https://openrouter.ai/api/v1.
// With Allow Image Uploads on, the images of user turns are sent as
// image_url parts (URL images as URLs, for the vendor to fetch); with it
// off they are dropped.
var chatOpenRouter = node.Definition{
	Spec: node.Spec{
		Label:       "OpenRouter",
		Name:        "chatOpenRouter",
		Version:     1,
		Type:        "ChatOpenRouter",
		Icon:        "openRouter.svg",
		Category:    category,
		Description: "Wrapper around Open Router Inference API",
		BaseClasses: []string{"ChatOpenRouter", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"openRouterApi"}, Optional: true},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Placeholder: "openai/gpt-3.5-turbo"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Allow Image Uploads", Name: inAllowImageUploads, Type: node.TypeBoolean, Description: descAllowImageUploads, Default: false, Optional: true},
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Frequency Penalty", Name: inFrequencyPenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Presence Penalty", Name: inPresencePenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Base Path", Name: inBasepath, Type: node.TypeString, Optional: true, Default: "https://openrouter.ai/api/v1", Description: descBasepath, AdditionalParams: true},
			{Label: "Base Options", Name: inBaseOptions, Type: node.TypeJSON, Optional: true, Description: descBaseOptions, AdditionalParams: true},
		},
	},
	Init: initChatOpenRouter,
}

func initChatOpenRouter(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatOpenRouter"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	im, err := imagesInput(data, rt, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	strs, err := readStrings(data, inModelName, inBasepath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "openRouterApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.Config{
		Node:             name,
		Provider:         "openrouter",
		BaseURL:          baseURL(strs[1], "OPENROUTER_BASE_URL", "https://openrouter.ai/api/v1"),
		APIKey:           key,
		Headers:          in.headers,
		HTTPClient:       rt.Client(),
		Timeout:          in.timeout,
		Model:            strs[0],
		Temperature:      in.temperature,
		TopP:             in.topP,
		FrequencyPenalty: in.frequencyPenalty,
		PresencePenalty:  in.presencePenalty,
		MaxTokens:        in.maxTokens,
		Streaming:        in.streaming,
		IncludeUsage:     true,
	}, im)
}
