// Package openai is Floe's client for the OpenAI chat completions API and
// for the many servers that speak it: Azure OpenAI, Groq, DeepSeek,
// OpenRouter, Together AI, Mistral, LocalAI and other OpenAI-compatible
// endpoints. Chat model nodes configure a [ChatModel] with a [Config]; the
// wire work is done by github.com/openai/openai-go.
package openai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/floehq/floe/internal/llm"
)

// MaxTokensField names the request field that carries a [Config]'s
// MaxTokens: OpenAI's current field or the legacy one other vendors read.
type MaxTokensField string

// Request fields for [Config.MaxTokensField].
const (
	// MaxTokens sends "max_tokens", which OpenAI-compatible vendors read.
	MaxTokens MaxTokensField = "max_tokens"
	// MaxCompletionTokens sends "max_completion_tokens", OpenAI's current
	// field (the only one its reasoning models accept).
	MaxCompletionTokens MaxTokensField = "max_completion_tokens"
)

// Config configures a [ChatModel]. Pointer and zero fields are left out of
// the request, so the vendor's defaults apply.
type Config struct {
	// Node and Provider name the node and the vendor in errors, as in
	// "chatOpenAI: calling openai: ...".
	Node     string
	Provider string
	// BaseURL is the API root that "/chat/completions" is appended to, e.g.
	// "https://api.openai.com/v1". Required.
	BaseURL string
	// APIKey is sent as "Authorization: Bearer <key>"; empty sends no
	// Authorization header (Azure authenticates through Headers instead).
	APIKey string
	// Headers are added to every request (Flowise's baseOptions, Azure's
	// api-key).
	Headers map[string]string
	// Query parameters are added to every request (Azure's api-version).
	Query map[string]string
	// HTTPClient sends the requests; nil means [http.DefaultClient].
	HTTPClient *http.Client
	// Timeout bounds each call, including the whole streamed answer; zero
	// means no limit beyond the caller's context.
	Timeout time.Duration

	// Model is the model name. Empty leaves it to the vendor, which
	// usually refuses the call, as with Flowise.
	Model            string
	Temperature      *float64
	TopP             *float64
	FrequencyPenalty *float64
	PresencePenalty  *float64
	// MaxTokens limits the answer when positive; MaxTokensField says which
	// request field carries it (MaxTokens when empty).
	MaxTokens      int
	MaxTokensField MaxTokensField
	// Stop holds the default stop sequences; a [llm.ChatRequest]'s Stop
	// replaces them for one call.
	Stop []string
	// OmitStop drops every stop sequence, for models that reject the field
	// (OpenAI's reasoning models).
	OmitStop bool
	// ReasoningEffort, when set, is sent as "reasoning_effort".
	ReasoningEffort string
	// Extra holds vendor-specific body fields, e.g. Mistral's
	// "random_seed" or DeepSeek's "thinking".
	Extra map[string]any

	// Streaming selects a streamed call; false makes one plain call and
	// yields the whole answer as a single chunk.
	Streaming bool
	// IncludeUsage asks a streamed call for a final usage chunk
	// (stream_options.include_usage). Vendors that reject the option and
	// report usage on their own (Mistral) leave it false.
	IncludeUsage bool
}

// ChatModel is an [llm.ChatModel] over a chat completions endpoint. It is
// safe for concurrent use; each Stream call makes one HTTP request (plus the
// SDK's retries of failed attempts).
type ChatModel struct {
	cfg Config
	svc oai.ChatCompletionService
}

// New returns a ChatModel for cfg. It checks that cfg has a base URL but
// makes no request.
// The client never reads OPENAI_* environment variables: nodes resolve
// their own overrides and pass them in cfg.
func New(cfg Config) (*ChatModel, error) {
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("%s: no base URL for %s", cfg.Node, cfg.Provider)
	}
	// NewChatCompletionService, unlike NewClient, applies no defaults from
	// the process environment.
	return &ChatModel{cfg: cfg, svc: oai.NewChatCompletionService(requestOptions(cfg.BaseURL, cfg.APIKey, cfg.HTTPClient, cfg.Headers, cfg.Query)...)}, nil
}

// requestOptions are the SDK options every client of this package sets:
// base URL, HTTP client (nil: http.DefaultClient), API key (none when
// empty), extra headers and query parameters.
func requestOptions(baseURL, apiKey string, client *http.Client, headers, query map[string]string) []option.RequestOption {
	if client == nil {
		client = http.DefaultClient
	}
	opts := []option.RequestOption{option.WithBaseURL(baseURL), option.WithHTTPClient(client)}
	if apiKey != "" {
		opts = append(opts, option.WithAPIKey(apiKey))
	}
	for k, v := range headers {
		opts = append(opts, option.WithHeader(k, v))
	}
	for k, v := range query {
		opts = append(opts, option.WithQuery(k, v))
	}
	return opts
}

// Stream sends req and yields the answer; see [llm.ChatModel]. A streamed
// call yields each text delta as it arrives and, when the vendor reports
// usage, a last chunk with empty Content and the Usage.
//
// A user turn without images is sent with plain string content; one with
// images is sent as content parts, the text then an image_url part per
// image. Images on other turns are never sent. Stream sends every image it
// is given: callers that must not send them (a node whose Allow Image
// Uploads is off) remove them first.
func (m *ChatModel) Stream(ctx context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		params, opts, err := m.params(req)
		if err != nil {
			yield(llm.Chunk{}, fmt.Errorf("%s: %w", m.cfg.Node, err))
			return
		}
		callCtx, cancel := ctx, context.CancelFunc(func() {})
		if m.cfg.Timeout > 0 {
			callCtx, cancel = context.WithTimeout(ctx, m.cfg.Timeout)
		}
		defer cancel()
		if !m.cfg.Streaming {
			res, err := m.svc.New(callCtx, params, opts...)
			if err != nil {
				yield(llm.Chunk{}, m.fail(ctx, err))
				return
			}
			var text string
			if len(res.Choices) > 0 {
				text = res.Choices[0].Message.Content
			}
			yield(llm.Chunk{Content: text, Usage: usage(res.Usage)}, nil)
			return
		}
		m.stream(ctx, callCtx, params, opts, yield)
	}
}

// stream makes a streamed call and yields its deltas, then its usage.
func (m *ChatModel) stream(ctx, callCtx context.Context, params oai.ChatCompletionNewParams, opts []option.RequestOption, yield func(llm.Chunk, error) bool) {
	s := m.svc.NewStreaming(callCtx, params, opts...)
	defer s.Close()
	var u *llm.Usage
	for s.Next() {
		c := s.Current()
		if got := usage(c.Usage); got != nil {
			u = got
		} else if got := groqUsage(c); got != nil {
			u = got
		}
		for _, ch := range c.Choices {
			if ch.Index != 0 || ch.Delta.Content == "" {
				continue
			}
			if !yield(llm.Chunk{Content: ch.Delta.Content}, nil) {
				return
			}
		}
	}
	if err := s.Err(); err != nil {
		yield(llm.Chunk{}, m.fail(ctx, err))
		return
	}
	if err := ctx.Err(); err != nil {
		yield(llm.Chunk{}, err)
		return
	}
	if u != nil {
		yield(llm.Chunk{Usage: u}, nil)
	}
}

// params builds the request body, and options for the fields openai-go has
// no typed slot for.
func (m *ChatModel) params(req llm.ChatRequest) (oai.ChatCompletionNewParams, []option.RequestOption, error) {
	c := m.cfg
	p := oai.ChatCompletionNewParams{Model: shared.ChatModel(c.Model)}
	if len(req.Messages) == 0 {
		return p, nil, errors.New("no messages")
	}
	for i, msg := range req.Messages {
		switch msg.Role {
		case llm.RoleSystem:
			p.Messages = append(p.Messages, oai.SystemMessage(msg.Content))
		case llm.RoleUser:
			if len(msg.Images) == 0 {
				p.Messages = append(p.Messages, oai.UserMessage(msg.Content))
				break
			}
			parts, err := userParts(msg)
			if err != nil {
				return p, nil, fmt.Errorf("message %d: %w", i, err)
			}
			p.Messages = append(p.Messages, oai.UserMessage(parts))
		case llm.RoleAssistant:
			p.Messages = append(p.Messages, oai.AssistantMessage(msg.Content))
		default:
			return p, nil, fmt.Errorf("message %d: unsupported role %q", i, msg.Role)
		}
	}
	if c.Temperature != nil {
		p.Temperature = oai.Float(*c.Temperature)
	}
	if c.TopP != nil {
		p.TopP = oai.Float(*c.TopP)
	}
	if c.FrequencyPenalty != nil {
		p.FrequencyPenalty = oai.Float(*c.FrequencyPenalty)
	}
	if c.PresencePenalty != nil {
		p.PresencePenalty = oai.Float(*c.PresencePenalty)
	}
	if c.MaxTokens > 0 {
		if c.MaxTokensField == MaxCompletionTokens {
			p.MaxCompletionTokens = oai.Int(int64(c.MaxTokens))
		} else {
			p.MaxTokens = oai.Int(int64(c.MaxTokens))
		}
	}
	stop := c.Stop
	if len(req.Stop) > 0 {
		stop = req.Stop
	}
	if len(stop) > 0 && !c.OmitStop {
		p.Stop = oai.ChatCompletionNewParamsStopUnion{OfStringArray: stop}
	}
	if c.ReasoningEffort != "" {
		p.ReasoningEffort = shared.ReasoningEffort(c.ReasoningEffort)
	}
	if c.Streaming && c.IncludeUsage {
		p.StreamOptions = oai.ChatCompletionStreamOptionsParam{IncludeUsage: oai.Bool(true)}
	}
	var opts []option.RequestOption
	for k, v := range c.Extra {
		opts = append(opts, option.WithJSONSet(k, v))
	}
	return p, opts, nil
}

// userParts returns the content parts of a user turn with images: its text
// (left out when empty), then one image_url part per image, the order in
// which Flowise's history replay and conversation chain send them. Data
// images become data URLs; URL images are passed as they are, for the
// vendor to fetch. Detail is sent when set.
func userParts(msg llm.Message) ([]oai.ChatCompletionContentPartUnionParam, error) {
	parts := make([]oai.ChatCompletionContentPartUnionParam, 0, 1+len(msg.Images))
	if msg.Content != "" {
		parts = append(parts, oai.TextContentPart(msg.Content))
	}
	for j, img := range msg.Images {
		u, err := imageURL(img)
		if err != nil {
			return nil, fmt.Errorf("image %d: %w", j, err)
		}
		parts = append(parts, oai.ImageContentPart(oai.ChatCompletionContentPartImageImageURLParam{URL: u, Detail: img.Detail}))
	}
	return parts, nil
}

// imageURL is the url of img's image_url part: a data URL of its bytes, or
// its URL when it has no bytes. Bytes without a media type (or typed
// application/octet-stream) get the type sniffed from them.
func imageURL(img llm.Image) (string, error) {
	if img.Data == nil {
		if img.URL == "" {
			return "", errors.New("image has neither data nor URL")
		}
		return img.URL, nil
	}
	mediaType := img.MIME
	if mediaType == "" || mediaType == "application/octet-stream" {
		mediaType = http.DetectContentType(img.Data)
	}
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(img.Data), nil
}

// fail turns a call error into the error Stream yields: ctx.Err() when the
// caller's context is done, otherwise the error wrapped with the node and
// vendor names (and the timeout when it fired).
func (m *ChatModel) fail(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if m.cfg.Timeout > 0 && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: calling %s: timed out after %s: %w", m.cfg.Node, m.cfg.Provider, m.cfg.Timeout, err)
	}
	// openai-go's error text is only the status; the vendor's message is
	// what tells a user what to fix.
	if apiErr, ok := errors.AsType[*oai.Error](err); ok && apiErr.Message != "" {
		return fmt.Errorf("%s: calling %s: %w: %s", m.cfg.Node, m.cfg.Provider, err, apiErr.Message)
	}
	return fmt.Errorf("%s: calling %s: %w", m.cfg.Node, m.cfg.Provider, err)
}

// usage converts the vendor's counts, or returns nil when it sent none.
func usage(u oai.CompletionUsage) *llm.Usage {
	if u.PromptTokens == 0 && u.CompletionTokens == 0 && u.TotalTokens == 0 {
		return nil
	}
	total := u.TotalTokens
	if total == 0 {
		total = u.PromptTokens + u.CompletionTokens
	}
	return &llm.Usage{InputTokens: int(u.PromptTokens), OutputTokens: int(u.CompletionTokens), TotalTokens: int(total)}
}

// groqUsage reads the usage Groq puts in the last chunk's x_groq object
// when stream_options are not honoured.
func groqUsage(c oai.ChatCompletionChunk) *llm.Usage {
	f, ok := c.JSON.ExtraFields["x_groq"]
	if !ok || !strings.Contains(f.Raw(), "usage") {
		return nil
	}
	var x struct {
		Usage oai.CompletionUsage `json:"usage"`
	}
	if err := json.Unmarshal([]byte(f.Raw()), &x); err != nil {
		return nil
	}
	return usage(x.Usage)
}

var _ llm.ChatModel = (*ChatModel)(nil)
