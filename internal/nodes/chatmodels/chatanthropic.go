package chatmodels

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"iter"
	"math"
	"regexp"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// Inputs of the Anthropic node.
const (
	inMaxTokensToSample = "maxTokensToSample"
	inExtendedThinking  = "extendedThinking"
	inBudgetTokens      = "budgetTokens"
	inAdaptiveThinking  = "adaptiveThinking"
	inThinkingEffort    = "thinkingEffort"
)

// adaptiveModels are the models Flowise offers adaptive thinking for
// instead of a thinking budget.
var adaptiveModels = []any{"claude-opus-4-7", "claude-opus-4-6", "claude-sonnet-4-6"}

// chatAnthropic mirrors Flowise's ChatAnthropic node
// (nodes/chatmodels/ChatAnthropic): Anthropic's Messages API. Flowise has no
// base URL input; ANTHROPIC_BASE_URL overrides https://api.anthropic.com.
// With Allow Image Uploads on, the images of user turns are sent as image
// blocks (base64 sources for uploads, url sources for URL images, which
// Anthropic fetches); with it off they are dropped.
var chatAnthropic = node.Definition{
	Spec: node.Spec{
		Label:       "Anthropic Claude",
		Name:        "chatAnthropic",
		Version:     8,
		Type:        "ChatAnthropic",
		Icon:        "Anthropic.svg",
		Category:    category,
		Description: "Wrapper around ChatAnthropic large language models that use the Chat endpoint",
		BaseClasses: []string{"ChatAnthropic", "ChatAnthropicMessages", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"anthropicApi"}},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "claude-haiku-4-5"},
			{Label: "Temperature", Name: inTemperature, Type: node.TypeNumber, Step: 0.1, Default: 0.9, Optional: true},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Allow Image Uploads", Name: inAllowImageUploads, Type: node.TypeBoolean, Description: descAllowImageUploads, Default: false, Optional: true},
			{
				Label:            "Extended Thinking",
				Name:             inExtendedThinking,
				Type:             node.TypeBoolean,
				Description:      "Enable extended thinking for reasoning model such as Claude Sonnet 3.7 and Claude 4",
				Optional:         true,
				AdditionalParams: true,
				Hide:             map[string]any{inModelName: adaptiveModels},
			},
			{
				Label:            "Budget Tokens",
				Name:             inBudgetTokens,
				Type:             node.TypeNumber,
				Step:             1,
				Default:          "1024",
				Description:      "Maximum number of tokens Claude is allowed use for its internal reasoning process",
				Optional:         true,
				AdditionalParams: true,
				Show:             map[string]any{inExtendedThinking: true},
				Hide:             map[string]any{inModelName: adaptiveModels},
			},
			{
				Label:            "Adaptive Thinking",
				Description:      "Claude evaluates the complexity of each request and determines whether and how much to use extended thinking.",
				Name:             inAdaptiveThinking,
				Type:             node.TypeBoolean,
				Default:          false,
				Optional:         true,
				AdditionalParams: true,
				Show:             map[string]any{inModelName: adaptiveModels},
			},
			{
				Label:       "Thinking Effort",
				Description: "Control how eager Claude is about spending tokens when responding to requests",
				Name:        inThinkingEffort,
				Type:        node.TypeOptions,
				Optional:    true,
				Options: []node.Option{
					{Label: "Low", Name: "low"},
					{Label: "Medium", Name: "medium"},
					{Label: "High", Name: "high"},
					{Label: "Max", Name: "max", Description: "Absolute maximum capability with no constraints on token spending. Opus 4.6 and newer only"},
				},
				AdditionalParams: true,
				Show:             map[string]any{inAdaptiveThinking: true, inModelName: adaptiveModels},
			},
			{Label: "Max Tokens", Name: inMaxTokensToSample, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{Label: "Top P", Name: inTopP, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
			{Label: "Top K", Name: inTopK, Type: node.TypeNumber, Step: 0.1, Optional: true, AdditionalParams: true},
		},
	},
	Init: initChatAnthropic,
	Load: map[string]node.LoadFunc{"listModels": listModels("chatAnthropic")},
}

func initChatAnthropic(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatAnthropic"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	strs, err := readStrings(data, inModelName, inThinkingEffort)
	if err != nil {
		return wrap(err)
	}
	model, effort := cmp.Or(strs[0], "claude-haiku-4-5"), strs[1]
	temperature, err := optFloat(data, inTemperature)
	if err != nil {
		return wrap(err)
	}
	topP, err := optFloat(data, inTopP)
	if err != nil {
		return wrap(err)
	}
	topK, err := optFloat(data, inTopK)
	if err != nil {
		return wrap(err)
	}
	maxTokens, err := data.Int(inMaxTokensToSample, 0)
	if err != nil {
		return wrap(err)
	}
	budget, err := data.Int(inBudgetTokens, 1024)
	if err != nil {
		return wrap(err)
	}
	streaming, err := data.Bool(inStreaming, true)
	if err != nil {
		return wrap(err)
	}
	extended, err := data.Bool(inExtendedThinking, false)
	if err != nil {
		return wrap(err)
	}
	adaptive, err := data.Bool(inAdaptiveThinking, false)
	if err != nil {
		return wrap(err)
	}
	im, err := imagesInput(data, rt, name)
	if err != nil {
		return wrap(err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "anthropicApiKey")
	if err != nil {
		return wrap(err)
	}

	p := anthropic.MessageNewParams{Model: anthropic.Model(model), MaxTokens: int64(cmp.Or(maxTokens, defaultAnthropicMaxTokens(model)))}
	// Temperature is refused with thinking, and sampling parameters by the
	// newest models; Flowise sends what the model accepts.
	sampling := supportsSamplingParams(model)
	if temperature != nil && sampling && !extended && !adaptive {
		p.Temperature = anthropic.Float(*temperature)
	}
	if topP != nil && sampling {
		p.TopP = anthropic.Float(*topP)
	}
	if topK != nil && sampling {
		p.TopK = anthropic.Int(int64(math.Round(*topK)))
	}
	switch {
	case adaptive:
		p.Thinking = anthropic.ThinkingConfigParamUnion{OfAdaptive: &anthropic.ThinkingConfigAdaptiveParam{}}
		if effort != "" {
			p.OutputConfig = anthropic.OutputConfigParam{Effort: anthropic.OutputConfigEffort(effort)}
		}
	case extended:
		p.Thinking = anthropic.ThinkingConfigParamUnion{OfEnabled: &anthropic.ThinkingConfigEnabledParam{BudgetTokens: int64(budget)}}
	}
	client := anthropic.NewClient(
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(baseURL("", "ANTHROPIC_BASE_URL", "https://api.anthropic.com")),
		option.WithHTTPClient(rt.Client()),
		option.WithAPIKey(key),
	)
	return &anthropicChat{svc: client.Messages, params: p, streaming: streaming, images: im}, nil
}

// defaultAnthropicMaxTokens is the max_tokens LangChain's ChatAnthropic
// sends when none is configured (the Messages API requires one).
func defaultAnthropicMaxTokens(model string) int {
	for _, d := range []struct {
		prefix string
		tokens int
	}{
		{"claude-opus-4", 8192},
		{"claude-sonnet-4", 8192},
		{"claude-3-5-sonnet", 4096},
		{"claude-3-5-haiku", 4096},
	} {
		if strings.HasPrefix(model, d.prefix) {
			return d.tokens
		}
	}
	return 2048
}

// noSamplingModels matches the models that reject temperature, top_p and
// top_k: Opus 4.7 and later.
var noSamplingModels = regexp.MustCompile(`opus-4-[7-9](\b|-)|opus-([5-9]|\d{2,})-`)

// supportsSamplingParams reports whether model accepts sampling parameters.
func supportsSamplingParams(model string) bool { return !noSamplingModels.MatchString(model) }

// anthropicChat is the chatAnthropic instance: an [llm.ChatModel] over the
// Messages API. It is safe for concurrent use.
type anthropicChat struct {
	svc anthropic.MessageService
	// params holds the configured settings; each call copies it and adds
	// the conversation.
	params    anthropic.MessageNewParams
	streaming bool
	images    images
}

// Stream sends req and yields the text of the answer (thinking blocks are
// left out) and then its usage; see [llm.ChatModel].
func (m *anthropicChat) Stream(ctx context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		p, err := m.request(ctx, req)
		if err != nil {
			yield(llm.Chunk{}, fmt.Errorf("chatAnthropic: %w", err))
			return
		}
		if !m.streaming {
			msg, err := m.svc.New(ctx, p)
			if err != nil {
				yield(llm.Chunk{}, callError(ctx, "chatAnthropic", "anthropic", err))
				return
			}
			var text strings.Builder
			for _, block := range msg.Content {
				if block.Type == "text" {
					text.WriteString(block.Text)
				}
			}
			u := msg.Usage
			yield(llm.Chunk{Content: text.String(), Usage: tokens(u.InputTokens+u.CacheCreationInputTokens+u.CacheReadInputTokens, u.OutputTokens)}, nil)
			return
		}
		s := m.svc.NewStreaming(ctx, p)
		defer s.Close()
		var in, out int64
		for s.Next() {
			ev := s.Current()
			switch ev.Type {
			case "message_start":
				u := ev.Message.Usage
				in, out = u.InputTokens+u.CacheCreationInputTokens+u.CacheReadInputTokens, u.OutputTokens
			case "content_block_delta":
				if ev.Delta.Type == "text_delta" && ev.Delta.Text != "" && !yield(llm.Chunk{Content: ev.Delta.Text}, nil) {
					return
				}
			case "message_delta":
				// Counts here are cumulative; input tokens are repeated only
				// by newer API versions.
				out = ev.Usage.OutputTokens
				if ev.Usage.InputTokens > 0 {
					in = ev.Usage.InputTokens + ev.Usage.CacheCreationInputTokens + ev.Usage.CacheReadInputTokens
				}
			}
		}
		if err := s.Err(); err != nil {
			yield(llm.Chunk{}, callError(ctx, "chatAnthropic", "anthropic", err))
			return
		}
		if err := ctx.Err(); err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		yield(llm.Chunk{Usage: tokens(in, out)}, nil)
	}
}

// request adds req's conversation to the configured params: system messages
// become the top-level system prompt, and the images of user turns (when
// they are allowed) image blocks.
func (m *anthropicChat) request(ctx context.Context, req llm.ChatRequest) (anthropic.MessageNewParams, error) {
	p := m.params
	if len(req.Messages) == 0 {
		return p, fmt.Errorf("no messages")
	}
	withImages := m.images.use(ctx, req)
	for i, msg := range req.Messages {
		switch msg.Role {
		case llm.RoleSystem:
			p.System = append(p.System, anthropic.TextBlockParam{Text: msg.Content})
		case llm.RoleUser:
			if !withImages || len(msg.Images) == 0 {
				p.Messages = append(p.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(msg.Content)))
				break
			}
			blocks, err := m.userBlocks(ctx, msg)
			if err != nil {
				return p, fmt.Errorf("message %d: %w", i, err)
			}
			p.Messages = append(p.Messages, anthropic.NewUserMessage(blocks...))
		case llm.RoleAssistant:
			p.Messages = append(p.Messages, anthropic.NewAssistantMessage(anthropic.NewTextBlock(msg.Content)))
		default:
			return p, fmt.Errorf("message %d: unsupported role %q", i, msg.Role)
		}
	}
	if len(req.Stop) > 0 {
		p.StopSequences = req.Stop
	}
	return p, nil
}

// userBlocks returns the content of a user turn with images: its text
// (left out when empty, which Anthropic refuses), then an image block per
// image, the order in which Flowise's history replay and conversation chain
// send them. Uploads become base64 sources (with the type sniffed when
// missing); URL images become url sources, which Anthropic fetches.
func (m *anthropicChat) userBlocks(ctx context.Context, msg llm.Message) ([]anthropic.ContentBlockParamUnion, error) {
	blocks := make([]anthropic.ContentBlockParamUnion, 0, 1+len(msg.Images))
	if msg.Content != "" {
		blocks = append(blocks, anthropic.NewTextBlock(msg.Content))
	}
	for j, img := range msg.Images {
		if img.Data == nil && img.URL != "" {
			blocks = append(blocks, anthropic.NewImageBlock(anthropic.URLImageSourceParam{URL: img.URL}))
			continue
		}
		// With Data set (or neither set, an error) load fetches nothing.
		data, mediaType, err := m.images.load(ctx, img)
		if err != nil {
			return nil, fmt.Errorf("image %d: %w", j, err)
		}
		blocks = append(blocks, anthropic.NewImageBlockBase64(mediaType, base64.StdEncoding.EncodeToString(data)))
	}
	return blocks, nil
}

var _ llm.ChatModel = (*anthropicChat)(nil)
