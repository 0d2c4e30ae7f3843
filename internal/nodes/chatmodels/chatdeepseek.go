package chatmodels

import (
	"cmp"
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

const inThinking = "thinking"

// chatDeepseek mirrors Flowise's Deepseek node (nodes/chatmodels/Deepseek),
// whose component name is "chatDeepseek": DeepSeek's OpenAI-compatible API.
// Flowise has no base URL input; DEEPSEEK_BASE_URL overrides
// https://api.deepseek.com.
// Flowise gives it no Allow Image Uploads input, so image uploads are
// dropped.
var chatDeepseek = node.Definition{
	Spec: node.Spec{
		Label:       "Deepseek",
		Name:        "chatDeepseek",
		Version:     1,
		Type:        "chatDeepseek",
		Icon:        "deepseek.svg",
		Category:    category,
		Description: "Wrapper around Deepseek large language models that use the Chat endpoint",
		BaseClasses: []string{"chatDeepseek", "ChatOpenAICompletions", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"deepseekApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "deepseek-chat"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.7, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Frequency Penalty", Name: inFrequencyPenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Presence Penalty", Name: inPresencePenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Stop Sequence", Name: inStopSequence, Type: node.TypeString, Rows: 4, Optional: true, Description: descStopSequence, AdditionalParams: true},
			{
				Label:            "Thinking",
				Name:             inThinking,
				Type:             node.TypeBoolean,
				Default:          false,
				Optional:         true,
				AdditionalParams: true,
				Description:      "Enable deep thinking mode for complex reasoning tasks. When enabled, the model will use extended thinking before responding.",
			},
			{
				Label:            "Base Options",
				Name:             inBaseOptions,
				Type:             node.TypeJSON,
				Optional:         true,
				AdditionalParams: true,
				Description:      "Additional options to pass to the Deepseek client. This should be a JSON object.",
			},
		},
	},
	Init: initChatDeepseek,
	Load: map[string]node.LoadFunc{"listModels": listModels("deepseek")},
}

func initChatDeepseek(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatDeepseek"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	model, err := data.String(inModelName, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	thinking, err := data.Bool(inThinking, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "deepseekApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cfg := openai.Config{
		Node:             name,
		Provider:         "deepseek",
		BaseURL:          baseURL("", "DEEPSEEK_BASE_URL", "https://api.deepseek.com"),
		APIKey:           key,
		Headers:          in.headers,
		HTTPClient:       rt.Client(),
		Timeout:          in.timeout,
		Model:            cmp.Or(model, "deepseek-chat"),
		Temperature:      in.temperature,
		TopP:             in.topP,
		FrequencyPenalty: in.frequencyPenalty,
		PresencePenalty:  in.presencePenalty,
		MaxTokens:        in.maxTokens,
		Stop:             in.stop,
		Streaming:        in.streaming,
		IncludeUsage:     true,
	}
	if thinking {
		cfg.Extra = map[string]any{"thinking": map[string]any{"type": "enabled"}}
	}
	return newOpenAI(cfg, noImageInput(rt, name))
}
