package chatmodels

import (
	"cmp"
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// Inputs of the OpenAI nodes beyond the shared ones.
const (
	inReasoning         = "reasoning"
	inReasoningEffort   = "reasoningEffort"
	inReasoningSummary  = "reasoningSummary"
	inStrictToolCalling = "strictToolCalling"
)

// reasoningSummaryParam is the Reasoning Summary input of the OpenAI and
// Azure OpenAI nodes.
var reasoningSummaryParam = node.Param{
	Label:       "Reasoning Summary",
	Name:        inReasoningSummary,
	Type:        node.TypeOptions,
	Description: "A summary of the reasoning performed by the model. This can be useful for debugging and understanding the model's reasoning process",
	Options: []node.Option{
		{Label: "Auto", Name: "auto"},
		{Label: "Concise", Name: "concise"},
		{Label: "Detailed", Name: "detailed"},
	},
	AdditionalParams: true,
	Show:             map[string]any{inReasoning: true},
}

// reasoningParam is the Reasoning switch of the OpenAI and Azure OpenAI nodes.
var reasoningParam = node.Param{
	Label:            "Reasoning",
	Name:             inReasoning,
	Type:             node.TypeBoolean,
	Description:      "Whether the model supports reasoning. Only applicable for reasoning models (gpt-5 and o-series models only)",
	Default:          false,
	Optional:         true,
	AdditionalParams: true,
}

// chatOpenAI mirrors Flowise's ChatOpenAI node (nodes/chatmodels/ChatOpenAI):
// OpenAI's chat completions API.
// With Allow Image Uploads on, the images of user turns are sent as
// image_url parts (URL images as URLs, for the vendor to fetch); with it
// off they are dropped.
var chatOpenAI = node.Definition{
	Spec: node.Spec{
		Label:       "OpenAI",
		Name:        "chatOpenAI",
		Version:     8.3,
		Type:        "ChatOpenAI",
		Icon:        "openai.svg",
		Category:    category,
		Description: "Wrapper around OpenAI large language models that use the Chat endpoint",
		BaseClasses: []string{"ChatOpenAI", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"openAIApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "gpt-4o-mini"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Allow Image Uploads", Name: inAllowImageUploads, Type: node.TypeBoolean, Description: descAllowImageUploads, Default: false, Optional: true},
			reasoningParam,
			{
				Label:       "Reasoning Effort",
				Name:        inReasoningEffort,
				Type:        node.TypeOptions,
				Description: "Constrains effort on reasoning. Only applicable for reasoning models (gpt-5 and o-series models only)",
				Options: []node.Option{
					{Label: "Low", Name: "low"},
					{Label: "Medium", Name: "medium"},
					{Label: "High", Name: "high"},
					{Label: "X-High", Name: "xhigh", Description: "X-High is supported for all models after gpt-5.1-codex-max"},
				},
				AdditionalParams: true,
				Show:             map[string]any{inReasoning: true},
			},
			reasoningSummaryParam,
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Frequency Penalty", Name: inFrequencyPenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Presence Penalty", Name: inPresencePenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{
				Label:            "Strict Tool Calling",
				Name:             inStrictToolCalling,
				Type:             node.TypeBoolean,
				Description:      "Whether the model supports the `strict` argument when passing in tools. If not specified, the `strict` argument will not be passed to OpenAI.",
				Optional:         true,
				AdditionalParams: true,
			},
			{Label: "Stop Sequence", Name: inStopSequence, Type: node.TypeString, Rows: 4, Optional: true, Description: descStopSequence, AdditionalParams: true},
			{Label: "Base Path", Name: inBasepath, Type: node.TypeString, Optional: true, Description: descBasepath, AdditionalParams: true},
			{Label: "Base Options", Name: inBaseOptions, Type: node.TypeJSON, Optional: true, Description: descBaseOptions, AdditionalParams: true},
		},
	},
	Init: initChatOpenAI,
	Load: map[string]node.LoadFunc{"listModels": listModels("chatOpenAI")},
}

func initChatOpenAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatOpenAI"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	im, err := imagesInput(data, rt, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	strs, err := readStrings(data, inModelName, inReasoningEffort, inBasepath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	model, effort, base := cmp.Or(strs[0], "gpt-4o-mini"), strs[1], strs[2]
	key, err := node.CredentialParam(ctx, data, rt, "openAIApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cfg := openai.Config{
		Node:             name,
		Provider:         "openai",
		BaseURL:          baseURL(base, "OPENAI_BASE_URL", "https://api.openai.com/v1"),
		APIKey:           key,
		Headers:          in.headers,
		HTTPClient:       rt.Client(),
		Timeout:          in.timeout,
		Model:            model,
		Temperature:      in.temperature,
		TopP:             in.topP,
		FrequencyPenalty: in.frequencyPenalty,
		PresencePenalty:  in.presencePenalty,
		MaxTokens:        in.maxTokens,
		MaxTokensField:   openai.MaxCompletionTokens,
		Stop:             in.stop,
		Streaming:        in.streaming,
		IncludeUsage:     true,
	}
	if isReasoningModelOpenAI(model) {
		cfg.Temperature, cfg.OmitStop, cfg.ReasoningEffort = nil, true, effort
	}
	return newOpenAI(cfg, im)
}
