package chatmodels

import (
	"cmp"
	"context"
	"fmt"
	"net/url"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// azureChatOpenAI mirrors Flowise's AzureChatOpenAI node
// (nodes/chatmodels/AzureChatOpenAI): chat completions on an Azure OpenAI
// deployment.
//
// The endpoint is <base>/<deployment>/chat/completions?api-version=<v>,
// where base is the Base Path input (LangChain's azureOpenAIBasePath, the
// URL up to and including /openai/deployments), else AZURE_OPENAI_BASE_URL,
// else https://<instance>.openai.azure.com/openai/deployments. The key goes
// in the api-key header. As in Flowise, credential fields that are empty
// fall back to the AZURE_OPENAI_API_KEY, AZURE_OPENAI_API_INSTANCE_NAME,
// AZURE_OPENAI_API_DEPLOYMENT_NAME and AZURE_OPENAI_API_VERSION variables.
// With Allow Image Uploads on, the images of user turns are sent as
// image_url parts (URL images as URLs, for the vendor to fetch); with it
// off they are dropped.
var azureChatOpenAI = node.Definition{
	Spec: node.Spec{
		Label:       "Azure OpenAI",
		Name:        "azureChatOpenAI",
		Version:     7.1,
		Type:        "AzureChatOpenAI",
		Icon:        "Azure.svg",
		Category:    category,
		Description: "Wrapper around Azure OpenAI large language models that use the Chat endpoint",
		BaseClasses: []string{"AzureChatOpenAI", "ChatOpenAI", "BaseChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"azureOpenAIApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", FreeSolo: true},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Max Tokens", Name: inMaxTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
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
				},
				AdditionalParams: true,
				Show:             map[string]any{inReasoning: true},
			},
			reasoningSummaryParam,
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Frequency Penalty", Name: inFrequencyPenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Presence Penalty", Name: inPresencePenalty, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Base Path", Name: inBasepath, Type: node.TypeString, Optional: true, Description: descBasepath, AdditionalParams: true},
			{Label: "Base Options", Name: inBaseOptions, Type: node.TypeJSON, Optional: true, Description: descBaseOptions, AdditionalParams: true},
		},
	},
	Init: initAzureChatOpenAI,
	Load: map[string]node.LoadFunc{"listModels": listModels("azureChatOpenAI")},
}

func initAzureChatOpenAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "azureChatOpenAI"
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
	model, effort, base := strs[0], strs[1], strs[2]
	cred := map[string]string{
		"azureOpenAIApiKey":            "AZURE_OPENAI_API_KEY",
		"azureOpenAIApiInstanceName":   "AZURE_OPENAI_API_INSTANCE_NAME",
		"azureOpenAIApiDeploymentName": "AZURE_OPENAI_API_DEPLOYMENT_NAME",
		"azureOpenAIApiVersion":        "AZURE_OPENAI_API_VERSION",
	}
	for field, env := range cred {
		v, err := node.CredentialParam(ctx, data, rt, field)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cred[field] = cmp.Or(v, getenv(env))
	}
	instance, deployment, version := cred["azureOpenAIApiInstanceName"], cred["azureOpenAIApiDeploymentName"], cred["azureOpenAIApiVersion"]
	switch {
	case deployment == "":
		return nil, fmt.Errorf("%s: no azureOpenAIApiDeploymentName in the credential", name)
	case version == "":
		return nil, fmt.Errorf("%s: no azureOpenAIApiVersion in the credential", name)
	}
	def := ""
	if instance != "" {
		def = "https://" + instance + ".openai.azure.com/openai/deployments"
	}
	root := baseURL(base, "AZURE_OPENAI_BASE_URL", def)
	if root == "" {
		return nil, fmt.Errorf("%s: no azureOpenAIApiInstanceName in the credential and no base path", name)
	}
	if model == "" {
		model = deployment
	}
	hdrs := map[string]string{"api-key": cred["azureOpenAIApiKey"]}
	for k, v := range in.headers {
		hdrs[k] = v
	}
	cfg := openai.Config{
		Node:             name,
		Provider:         "azure openai",
		BaseURL:          root + "/" + url.PathEscape(deployment),
		Headers:          hdrs,
		Query:            map[string]string{"api-version": version},
		HTTPClient:       rt.Client(),
		Timeout:          in.timeout,
		Model:            model,
		Temperature:      in.temperature,
		TopP:             in.topP,
		FrequencyPenalty: in.frequencyPenalty,
		PresencePenalty:  in.presencePenalty,
		MaxTokens:        in.maxTokens,
		MaxTokensField:   openai.MaxCompletionTokens,
		Streaming:        in.streaming,
		IncludeUsage:     true,
		// Flowise's Azure node has no stop sequence input.
	}
	if isReasoningModelOpenAI(model) {
		cfg.Temperature, cfg.OmitStop, cfg.ReasoningEffort = nil, true, effort
	}
	return newOpenAI(cfg, im)
}
