package chatmodels

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// Inputs of the MistralAI node.
const (
	inMaxOutputTokens  = "maxOutputTokens"
	inRandomSeed       = "randomSeed"
	inSafeMode         = "safeMode"
	inOverrideEndpoint = "overrideEndpoint"
)

// chatMistralAI mirrors Flowise's ChatMistral node
// (nodes/chatmodels/ChatMistral): Mistral's chat completions API, which is
// OpenAI-compatible at <endpoint>/v1. The endpoint is the Override Endpoint
// input, else MISTRAL_BASE_URL, else https://api.mistral.ai; "/v1" is
// appended unless it is already there. Mistral reports usage on its last
// streamed chunk by itself and rejects stream_options, so none is sent.
// Flowise gives it no Allow Image Uploads input, so image uploads are
// dropped.
var chatMistralAI = node.Definition{
	Spec: node.Spec{
		Label:       "MistralAI",
		Name:        "chatMistralAI",
		Version:     4,
		Type:        "ChatMistralAI",
		Icon:        "MistralAI.svg",
		Category:    category,
		Description: "Wrapper around Mistral large language models that use the Chat endpoint",
		BaseClasses: []string{"ChatMistralAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"mistralAIApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "mistral-tiny"},
			{
				Label:       "Temperature",
				Name:        inTemperature,
				Type:        node.TypeNumber,
				Description: "What sampling temperature to use, between 0.0 and 1.0. Higher values like 0.8 will make the output more random, while lower values like 0.2 will make it more focused and deterministic.",
				Step:        0.1,
				Default:     0.9,
				Optional:    true,
			},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{
				Label:            "Max Output Tokens",
				Name:             inMaxOutputTokens,
				Type:             node.TypeNumber,
				Description:      "The maximum number of tokens to generate in the completion.",
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Top Probability",
				Name:             inTopP,
				Type:             node.TypeNumber,
				Description:      "Nucleus sampling, where the model considers the results of the tokens with top_p probability mass. So 0.1 means only the tokens comprising the top 10% probability mass are considered.",
				Step:             0.1,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Random Seed",
				Name:             inRandomSeed,
				Type:             node.TypeNumber,
				Description:      "The seed to use for random sampling. If set, different calls will generate deterministic results.",
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Safe Mode",
				Name:             inSafeMode,
				Type:             node.TypeBoolean,
				Description:      "Whether to inject a safety prompt before all conversations.",
				Optional:         true,
				AdditionalParams: true,
			},
			{Label: "Override Endpoint", Name: inOverrideEndpoint, Type: node.TypeString, Optional: true, AdditionalParams: true},
		},
	},
	Init: initChatMistralAI,
	Load: map[string]node.LoadFunc{"listModels": listModels("chatMistralAI")},
}

func initChatMistralAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatMistralAI"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	strs, err := readStrings(data, inModelName, inOverrideEndpoint)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	maxTokens, err := data.Int(inMaxOutputTokens, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	extra := map[string]any{}
	if data.Has(inRandomSeed) {
		seed, err := data.Int(inRandomSeed, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		extra["random_seed"] = seed
	}
	safe, err := data.Bool(inSafeMode, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if safe {
		extra["safe_prompt"] = true
	}
	key, err := node.CredentialParam(ctx, data, rt, "mistralAIAPIKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	base := baseURL(strs[1], "MISTRAL_BASE_URL", "https://api.mistral.ai")
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	return newOpenAI(openai.Config{
		Node:        name,
		Provider:    "mistral",
		BaseURL:     base,
		APIKey:      key,
		HTTPClient:  rt.Client(),
		Model:       cmp.Or(strs[0], "mistral-tiny"),
		Temperature: in.temperature,
		TopP:        in.topP,
		MaxTokens:   maxTokens,
		Streaming:   in.streaming,
		Extra:       extra,
	}, noImageInput(rt, name))
}
