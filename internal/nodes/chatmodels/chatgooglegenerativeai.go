package chatmodels

import (
	"cmp"
	"context"
	"fmt"
	"iter"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/gemini"
)

// Inputs of the Google Gemini node.
const (
	inCustomModelName = "customModelName"
	inThinkingBudget  = "thinkingBudget"
	inThinkingLevel   = "thinkingLevel"
	inSafetySettings  = "safetySettings"
)

// chatGoogleGenerativeAI mirrors Flowise's ChatGoogleGenerativeAI node
// (nodes/chatmodels/ChatGoogleGenerativeAI): the Gemini API's
// generateContent and streamGenerateContent methods. The base URL is the
// Base URL input, else GOOGLE_GEMINI_BASE_URL, else
// https://generativelanguage.googleapis.com; the API version (v1beta) is
// appended by the client. With Allow Image Uploads on, the images of user
// turns are sent as inline data (URL images are fetched through the
// runtime's SSRF-guarded client); with it off they are dropped.
var chatGoogleGenerativeAI = node.Definition{
	Spec: node.Spec{
		Label:       "Google Gemini",
		Name:        "chatGoogleGenerativeAI",
		Version:     3.1,
		Type:        "ChatGoogleGenerativeAI",
		Icon:        "GoogleGemini.svg",
		Category:    category,
		Description: "Wrapper around Google Gemini large language models that use the Chat endpoint",
		// Flowise names the LangChain class twice: as the node type and as
		// the parent of its own subclass.
		BaseClasses: []string{"ChatGoogleGenerativeAI", "ChatGoogleGenerativeAI", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential: &node.Param{
			Label:           credentialLabel,
			Name:            "credential",
			Type:            node.TypeCredential,
			CredentialNames: []string{"googleGenerativeAI"},
			Description:     "Google Generative AI credential.",
		},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "gemini-1.5-flash-latest"},
			{
				Label:            "Custom Model Name",
				Name:             inCustomModelName,
				Type:             node.TypeString,
				Placeholder:      "gemini-1.5-pro-exp-0801",
				Description:      "Custom model name to use. If provided, it will override the model selected",
				AdditionalParams: true,
				Optional:         true,
			},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Allow Image Uploads", Name: inAllowImageUploads, Type: node.TypeBoolean, Description: descAllowImageUploads, Default: false, Optional: true},
			{
				Label:            "Thinking Budget",
				Name:             inThinkingBudget,
				Type:             node.TypeNumber,
				Description:      "Guides the number of thinking tokens. -1 for dynamic, 0 to disable, or positive integer (Gemini 2.5 models).",
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
				Show:             map[string]any{inModelName: []any{"gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"}},
			},
			{
				Label:       "Thinking Level",
				Name:        inThinkingLevel,
				Type:        node.TypeOptions,
				Description: "Adjust the amount of reasoning effort based on the complexity of the user request",
				Options: []node.Option{
					{Label: "Low", Name: "LOW"},
					{Label: "Medium", Name: "MEDIUM"},
					{Label: "High", Name: "HIGH"},
				},
				Optional:         true,
				AdditionalParams: true,
				Show:             map[string]any{inModelName: []any{"gemini-3.1-pro-preview", "gemini-3.1-flash-lite-preview", "gemini-3-flash-preview"}},
			},
			{Label: "Max Output Tokens", Name: inMaxOutputTokens, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top Probability", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{
				Label:            "Top Next Highest Probability Tokens",
				Name:             inTopK,
				Type:             node.TypeNumber,
				Description:      "Decode using top-k sampling: consider the set of top_k most probable tokens. Must be positive",
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:       "Safety Settings",
				Name:        inSafetySettings,
				Type:        node.TypeArray,
				Description: `Safety settings for the model. Refer to the <a href="https://ai.google.dev/gemini-api/docs/safety-settings">official guide</a> on how to use Safety Settings`,
				Array: []node.Param{
					{
						Label: "Harm Category",
						Name:  "harmCategory",
						Type:  node.TypeOptions,
						Options: []node.Option{
							{Label: "Dangerous", Name: "HARM_CATEGORY_DANGEROUS_CONTENT", Description: "Promotes, facilitates, or encourages harmful acts."},
							{Label: "Harassment", Name: "HARM_CATEGORY_HARASSMENT", Description: "Negative or harmful comments targeting identity and/or protected attributes."},
							{Label: "Hate Speech", Name: "HARM_CATEGORY_HATE_SPEECH", Description: "Content that is rude, disrespectful, or profane."},
							{Label: "Sexually Explicit", Name: "HARM_CATEGORY_SEXUALLY_EXPLICIT", Description: "Contains references to sexual acts or other lewd content."},
							{Label: "Civic Integrity", Name: "HARM_CATEGORY_CIVIC_INTEGRITY", Description: "Election-related queries."},
						},
					},
					{
						Label: "Harm Block Threshold",
						Name:  "harmBlockThreshold",
						Type:  node.TypeOptions,
						Options: []node.Option{
							{Label: "None", Name: "BLOCK_NONE", Description: "Always show regardless of probability of unsafe content"},
							{Label: "Only High", Name: "BLOCK_ONLY_HIGH", Description: "Block when high probability of unsafe content"},
							{Label: "Medium and Above", Name: "BLOCK_MEDIUM_AND_ABOVE", Description: "Block when medium or high probability of unsafe content"},
							{Label: "Low and Above", Name: "BLOCK_LOW_AND_ABOVE", Description: "Block when low, medium or high probability of unsafe content"},
							{Label: "Threshold Unspecified (Default Threshold)", Name: "HARM_BLOCK_THRESHOLD_UNSPECIFIED", Description: "Threshold is unspecified, block using default threshold"},
						},
					},
				},
				Optional:         true,
				AdditionalParams: true,
			},
			{Label: "Base URL", Name: inBaseURL, Type: node.TypeString, Description: "Base URL for the API. Leave empty to use the default.", Optional: true, AdditionalParams: true},
		},
	},
	Init: initChatGoogleGenerativeAI,
	Load: map[string]node.LoadFunc{"listModels": listModels("chatGoogleGenerativeAI")},
}

func initChatGoogleGenerativeAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatGoogleGenerativeAI"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	strs, err := readStrings(data, inModelName, inCustomModelName, inThinkingLevel, inBaseURL)
	if err != nil {
		return wrap(err)
	}
	model := cmp.Or(strs[1], strs[0], "gemini-1.5-flash-latest")
	cfg := gemini.GenerationConfig{}
	if cfg.Temperature, err = optFloat(data, inTemperature); err != nil {
		return wrap(err)
	}
	if cfg.TopP, err = optFloat(data, inTopP); err != nil {
		return wrap(err)
	}
	if cfg.TopK, err = optFloat(data, inTopK); err != nil {
		return wrap(err)
	}
	if cfg.MaxOutputTokens, err = data.Int(inMaxOutputTokens, 0); err != nil {
		return wrap(err)
	}
	switch {
	case strs[2] != "":
		cfg.ThinkingConfig = &gemini.ThinkingConfig{ThinkingLevel: strs[2], IncludeThoughts: true}
	case data.Has(inThinkingBudget):
		budget, err := data.Int(inThinkingBudget, 0)
		if err != nil {
			return wrap(err)
		}
		cfg.ThinkingConfig = &gemini.ThinkingConfig{ThinkingBudget: &budget, IncludeThoughts: true}
	}
	safety, err := safetySettings(data)
	if err != nil {
		return wrap(err)
	}
	streaming, err := data.Bool(inStreaming, true)
	if err != nil {
		return wrap(err)
	}
	im, err := imagesInput(data, rt, name)
	if err != nil {
		return wrap(err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "googleGenerativeAPIKey")
	if err != nil {
		return wrap(err)
	}
	if key == "" {
		return nil, fmt.Errorf("%s: no googleGenerativeAPIKey in the credential", name)
	}
	return &geminiChat{
		client: &gemini.Client{
			BaseURL: baseURL(strs[3], "GOOGLE_GEMINI_BASE_URL", gemini.DefaultBaseURL),
			APIKey:  key,
			HTTP:    rt.Client(),
		},
		model:     model,
		config:    cfg,
		safety:    safety,
		streaming: streaming,
		images:    im,
	}, nil
}

// safetySettings reads the Safety Settings array as Flowise does: rows
// missing a category or threshold are skipped, and only the first row of
// each category counts.
func safetySettings(data *node.Data) ([]gemini.SafetySetting, error) {
	var rows []struct {
		HarmCategory       string `json:"harmCategory"`
		HarmBlockThreshold string `json:"harmBlockThreshold"`
	}
	if err := data.JSON(inSafetySettings, &rows); err != nil {
		return nil, err
	}
	var out []gemini.SafetySetting
	seen := map[string]bool{}
	for _, r := range rows {
		if r.HarmCategory == "" || r.HarmBlockThreshold == "" || seen[r.HarmCategory] {
			continue
		}
		seen[r.HarmCategory] = true
		out = append(out, gemini.SafetySetting{Category: r.HarmCategory, Threshold: r.HarmBlockThreshold})
	}
	return out, nil
}

// geminiChat is the chatGoogleGenerativeAI instance: an [llm.ChatModel]
// over the Gemini API. It is safe for concurrent use.
type geminiChat struct {
	client    *gemini.Client
	model     string
	config    gemini.GenerationConfig // copied by each call
	safety    []gemini.SafetySetting  // shared, never modified after Init
	streaming bool
	images    images
}

// Stream sends req and yields the text of the answer (thought parts are
// left out) and then its usage; see [llm.ChatModel].
func (m *geminiChat) Stream(ctx context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		body, err := m.request(ctx, req)
		if err != nil {
			yield(llm.Chunk{}, fmt.Errorf("chatGoogleGenerativeAI: %w", err))
			return
		}
		if !m.streaming {
			res, err := m.client.GenerateContent(ctx, m.model, body)
			if err != nil {
				yield(llm.Chunk{}, providerError(ctx, "chatGoogleGenerativeAI", err))
				return
			}
			yield(llm.Chunk{Content: res.Text(), Usage: geminiUsage(res)}, nil)
			return
		}
		var usage *llm.Usage
		for res, err := range m.client.StreamGenerateContent(ctx, m.model, body) {
			if err != nil {
				yield(llm.Chunk{}, providerError(ctx, "chatGoogleGenerativeAI", err))
				return
			}
			// Each event repeats the running totals; keep the last.
			if u := geminiUsage(res); u != nil {
				usage = u
			}
			if text := res.Text(); text != "" && !yield(llm.Chunk{Content: text}, nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		if usage != nil {
			yield(llm.Chunk{Usage: usage}, nil)
		}
	}
}

// request converts req: system messages become the system instruction,
// assistant turns the "model" role, and the images of user turns (when
// allowed) inline data parts ahead of the text, as Gemini's prompting
// guide advises.
func (m *geminiChat) request(ctx context.Context, req llm.ChatRequest) (*gemini.GenerateContentRequest, error) {
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("no messages")
	}
	cfg := m.config
	body := &gemini.GenerateContentRequest{GenerationConfig: &cfg, SafetySettings: m.safety}
	withImages := m.images.use(ctx, req)
	var system []gemini.Part
	for i, msg := range req.Messages {
		switch msg.Role {
		case llm.RoleSystem:
			system = append(system, gemini.Part{Text: msg.Content})
		case llm.RoleUser:
			var parts []gemini.Part
			if withImages {
				for j, img := range msg.Images {
					data, mimeType, err := m.images.load(ctx, img)
					if err != nil {
						return nil, fmt.Errorf("message %d: image %d: %w", i, j, err)
					}
					parts = append(parts, gemini.Part{InlineData: &gemini.Blob{MIMEType: mimeType, Data: data}})
				}
			}
			if len(parts) == 0 || msg.Content != "" {
				parts = append(parts, gemini.Part{Text: msg.Content})
			}
			body.Contents = append(body.Contents, gemini.Content{Role: gemini.RoleUser, Parts: parts})
		case llm.RoleAssistant:
			body.Contents = append(body.Contents, gemini.Content{Role: gemini.RoleModel, Parts: []gemini.Part{{Text: msg.Content}}})
		default:
			return nil, fmt.Errorf("message %d: unsupported role %q", i, msg.Role)
		}
	}
	if len(system) > 0 {
		// Sent with the user role, as Google's SDKs do; the API ignores it.
		body.SystemInstruction = &gemini.Content{Role: gemini.RoleUser, Parts: system}
	}
	if len(req.Stop) > 0 {
		cfg.StopSequences = req.Stop
	}
	return body, nil
}

// geminiUsage converts usageMetadata; thinking tokens count as output.
func geminiUsage(res *gemini.GenerateContentResponse) *llm.Usage {
	if res == nil || res.UsageMetadata == nil {
		return nil
	}
	u := res.UsageMetadata
	in, out := u.PromptTokenCount, u.CandidatesTokenCount+u.ThoughtsTokenCount
	if in == 0 && out == 0 {
		return nil
	}
	return &llm.Usage{InputTokens: in, OutputTokens: out, TotalTokens: cmp.Or(u.TotalTokenCount, in+out)}
}

var _ llm.ChatModel = (*geminiChat)(nil)
