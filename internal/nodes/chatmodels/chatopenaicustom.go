package chatmodels

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// chatOpenAICustom mirrors Flowise's ChatOpenAICustom node
// (nodes/chatmodels/ChatOpenAICustom): a custom or fine-tuned model on any
// OpenAI-compatible chat completions endpoint.
// Flowise gives it no Allow Image Uploads input, so image uploads are
// dropped.
var chatOpenAICustom = node.Definition{
	Spec: node.Spec{
		Label:       "OpenAI Custom Model",
		Name:        "chatOpenAICustom",
		Version:     4,
		Type:        "ChatOpenAI-Custom",
		Icon:        "openai.svg",
		Category:    category,
		Description: "Custom/FineTuned model using OpenAI Chat compatible API",
		BaseClasses: []string{"ChatOpenAI-Custom", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"openAIApi"}, Optional: true},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Placeholder: "ft:gpt-3.5-turbo:my-org:custom_suffix:id"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Frequency Penalty", Name: inFrequencyPenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Presence Penalty", Name: inPresencePenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Base Path", Name: inBasepath, Type: node.TypeString, Optional: true, Description: descBasepath, AdditionalParams: true},
			{Label: "Base Options", Name: inBaseOptions, Type: node.TypeJSON, Optional: true, Description: descBaseOptions, AdditionalParams: true},
		},
	},
	Init: initChatOpenAICustom,
}

func initChatOpenAICustom(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatOpenAICustom"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	strs, err := readStrings(data, inModelName, inBasepath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "openAIApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.Config{
		Node:             name,
		Provider:         "openai",
		BaseURL:          baseURL(strs[1], "OPENAI_BASE_URL", "https://api.openai.com/v1"),
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
	}, noImageInput(rt, name))
}
