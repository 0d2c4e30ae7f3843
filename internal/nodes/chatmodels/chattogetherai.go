package chatmodels

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// chatTogetherAI mirrors Flowise's ChatTogetherAI node
// (nodes/chatmodels/ChatTogetherAI): Together AI's OpenAI-compatible API.
// Flowise has no base URL input; TOGETHER_BASE_URL overrides
// https://api.together.xyz/v1.
// Flowise gives it no Allow Image Uploads input, so image uploads are
// dropped.
var chatTogetherAI = node.Definition{
	Spec: node.Spec{
		Label:       "TogetherAI",
		Name:        "chatTogetherAI",
		Version:     2,
		Type:        "ChatTogetherAI",
		Icon:        "togetherai.png",
		Category:    category,
		Description: "Wrapper around TogetherAI large language models",
		BaseClasses: []string{"ChatTogetherAI", "ChatOpenAICompletions", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"togetherAIApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{
				Label:       "Model Name",
				Name:        inModelName,
				Type:        node.TypeString,
				Placeholder: "mixtral-8x7b-32768",
				Description: `Refer to <a target="_blank" href="https://docs.together.ai/docs/inference-models">models</a> page`,
			},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true},
		},
	},
	Init: initChatTogetherAI,
}

func initChatTogetherAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatTogetherAI"
	in, err := readOpenAIInputs(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	model, err := data.String(inModelName, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "togetherAIApiKey")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newOpenAI(openai.Config{
		Node:         name,
		Provider:     "together ai",
		BaseURL:      baseURL("", "TOGETHER_BASE_URL", "https://api.together.xyz/v1"),
		APIKey:       key,
		HTTPClient:   rt.Client(),
		Model:        model,
		Temperature:  in.temperature,
		Streaming:    in.streaming,
		IncludeUsage: true,
	}, noImageInput(rt, name))
}
