package chatmodels

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/ollama"
)

// Inputs of the Ollama node.
const (
	inThink         = "think"
	inJSONMode      = "jsonMode"
	inKeepAlive     = "keepAlive"
	inMirostat      = "mirostat"
	inMirostatEta   = "mirostatEta"
	inMirostatTau   = "mirostatTau"
	inNumCtx        = "numCtx"
	inNumGpu        = "numGpu"
	inNumThread     = "numThread"
	inRepeatLastN   = "repeatLastN"
	inRepeatPenalty = "repeatPenalty"
	inStop          = "stop"
	inTfsZ          = "tfsZ"
)

// ollamaDocs ends the descriptions of Ollama's model parameters.
const ollamaDocs = `Refer to <a target="_blank" href="https://github.com/jmorganca/ollama/blob/main/docs/modelfile.md#valid-parameters-and-values">docs</a> for more details`

// ollamaOptions maps the node's number inputs to Ollama's option names.
var ollamaOptions = []struct{ input, option string }{
	{inTopP, "top_p"},
	{inTopK, "top_k"},
	{inMirostat, "mirostat"},
	{inMirostatEta, "mirostat_eta"},
	{inMirostatTau, "mirostat_tau"},
	{inNumCtx, "num_ctx"},
	{inNumGpu, "num_gpu"},
	{inNumThread, "num_thread"},
	{inRepeatLastN, "repeat_last_n"},
	{inRepeatPenalty, "repeat_penalty"},
	{inTfsZ, "tfs_z"},
}

// chatOllama mirrors Flowise's ChatOllama node (nodes/chatmodels/ChatOllama):
// Ollama's native /api/chat. The server is the Base URL input, else
// OLLAMA_BASE_URL, else http://localhost:11434. An ollamaApiKey, for servers
// behind a proxy, is sent as a bearer token. With Allow Image Uploads on,
// the images of user turns are sent in the message's images (URL images
// are fetched through the runtime's SSRF-guarded client); with it off they
// are dropped.
var chatOllama = node.Definition{
	Spec: node.Spec{
		Label:       "Ollama",
		Name:        "chatOllama",
		Version:     5,
		Type:        "ChatOllama",
		Icon:        "Ollama.svg",
		Category:    category,
		Description: "Chat completion using open-source LLM on Ollama",
		// Flowise names the LangChain class twice: as the node type and as
		// the parent of its own subclass.
		BaseClasses: []string{"ChatOllama", "ChatOllama", "BaseChatModel", "BaseLanguageModel", "Runnable"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"ollamaApi"}, Optional: true},
		Inputs: []node.Param{
			{Label: "Cache", Name: inCache, Type: "BaseCache", Optional: true},
			{Label: "Base URL", Name: inBaseURL, Type: node.TypeString, Default: "http://localhost:11434"},
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Placeholder: "llama2"},
			{
				Label:       "Temperature",
				Name:        inTemperature,
				Type:        node.TypeNumber,
				Description: "The temperature of the model. Increasing the temperature will make the model answer more creatively. (Default: 0.8). " + ollamaDocs,
				Step:        0.1,
				Default:     0.9,
				Optional:    true,
			},
			{Label: "Streaming", Name: inStreaming, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
			{Label: "Allow Image Uploads", Name: inAllowImageUploads, Type: node.TypeBoolean, Description: descAllowImageUploads, Default: false, Optional: true},
			{Label: "Think", Name: inThink, Type: node.TypeBoolean, Description: "Whether the model supports reasoning. Only applicable for reasoning models", Default: false, Optional: true},
			{
				Label:            "JSON Mode",
				Name:             inJSONMode,
				Type:             node.TypeBoolean,
				Description:      "Coerces model outputs to only return JSON. Specify in the system prompt to return JSON. Ex: Format all responses as JSON object",
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Keep Alive",
				Name:             inKeepAlive,
				Type:             node.TypeString,
				Description:      `How long to keep connection alive. A duration string (such as "10m" or "24h")`,
				Default:          "5m",
				Optional:         true,
				AdditionalParams: true,
			},
			ollamaNumber("Top P", inTopP, 0.1, "Works together with top-k. A higher value (e.g., 0.95) will lead to more diverse text, while a lower value (e.g., 0.5) will generate more focused and conservative text. (Default: 0.9). "),
			ollamaNumber("Top K", inTopK, 1, "Reduces the probability of generating nonsense. A higher value (e.g. 100) will give more diverse answers, while a lower value (e.g. 10) will be more conservative. (Default: 40). "),
			ollamaNumber("Mirostat", inMirostat, 1, "Enable Mirostat sampling for controlling perplexity. (default: 0, 0 = disabled, 1 = Mirostat, 2 = Mirostat 2.0). "),
			ollamaNumber("Mirostat ETA", inMirostatEta, 0.1, "Influences how quickly the algorithm responds to feedback from the generated text. A lower learning rate will result in slower adjustments, while a higher learning rate will make the algorithm more responsive. (Default: 0.1) "),
			ollamaNumber("Mirostat TAU", inMirostatTau, 0.1, "Controls the balance between coherence and diversity of the output. A lower value will result in more focused and coherent text. (Default: 5.0) "),
			ollamaNumber("Context Window Size", inNumCtx, 1, "Sets the size of the context window used to generate the next token. (Default: 2048) "),
			ollamaNumber("Number of GPU", inNumGpu, 1, "The number of layers to send to the GPU(s). On macOS it defaults to 1 to enable metal support, 0 to disable. "),
			ollamaNumber("Number of Thread", inNumThread, 1, "Sets the number of threads to use during computation. By default, Ollama will detect this for optimal performance. It is recommended to set this value to the number of physical CPU cores your system has (as opposed to the logical number of cores). "),
			ollamaNumber("Repeat Last N", inRepeatLastN, 1, "Sets how far back for the model to look back to prevent repetition. (Default: 64, 0 = disabled, -1 = num_ctx). "),
			ollamaNumber("Repeat Penalty", inRepeatPenalty, 0.1, "Sets how strongly to penalize repetitions. A higher value (e.g., 1.5) will penalize repetitions more strongly, while a lower value (e.g., 0.9) will be more lenient. (Default: 1.1). "),
			{
				Label:            "Stop Sequence",
				Name:             inStop,
				Type:             node.TypeString,
				Rows:             4,
				Placeholder:      "AI assistant:",
				Description:      "Sets the stop sequences to use. Use comma to seperate different sequences. " + ollamaDocs,
				Optional:         true,
				AdditionalParams: true,
			},
			ollamaNumber("Tail Free Sampling", inTfsZ, 0.1, "Tail free sampling is used to reduce the impact of less probable tokens from the output. A higher value (e.g., 2.0) will reduce the impact more, while a value of 1.0 disables this setting. (Default: 1). "),
		},
	},
	Init: initChatOllama,
}

// ollamaNumber is one of the Ollama node's optional number inputs; desc is
// completed with the link to Ollama's parameter docs.
func ollamaNumber(label, name string, step float64, desc string) node.Param {
	return node.Param{Label: label, Name: name, Type: node.TypeNumber, Description: desc + ollamaDocs, Step: step, Optional: true, AdditionalParams: true}
}

func initChatOllama(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "chatOllama"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	strs, err := readStrings(data, inModelName, inBaseURL, inKeepAlive, inStop)
	if err != nil {
		return wrap(err)
	}
	base := baseURL(strs[1], "OLLAMA_BASE_URL", ollama.DefaultBaseURL)
	if _, err := url.Parse(base); err != nil {
		return wrap(fmt.Errorf("parsing base URL: %w", err))
	}
	req := ollama.ChatRequest{Model: strs[0], Options: map[string]any{}}
	temperature, err := optFloat(data, inTemperature)
	if err != nil {
		return wrap(err)
	}
	if temperature != nil {
		req.Options["temperature"] = *temperature
	}
	for _, o := range ollamaOptions {
		v, err := optFloat(data, o.input)
		if err != nil {
			return wrap(err)
		}
		if v != nil {
			req.Options[o.option] = *v
		}
	}
	if stop := splitStop(strs[3]); len(stop) > 0 {
		req.Options["stop"] = stop
	}
	if strs[2] != "" {
		d, err := keepAlive(strs[2])
		if err != nil {
			return wrap(err)
		}
		ka := ollama.Duration(d)
		req.KeepAlive = &ka
	}
	jsonMode, err := data.Bool(inJSONMode, false)
	if err != nil {
		return wrap(err)
	}
	if jsonMode {
		req.Format = json.RawMessage(`"json"`)
	}
	think, err := data.Bool(inThink, false)
	if err != nil {
		return wrap(err)
	}
	// Flowise always sends think, false included.
	req.Think = think
	streaming, err := data.Bool(inStreaming, true)
	if err != nil {
		return wrap(err)
	}
	req.Stream = &streaming
	im, err := imagesInput(data, rt, name)
	if err != nil {
		return wrap(err)
	}
	key, err := node.CredentialParam(ctx, data, rt, "ollamaApiKey")
	if err != nil {
		return wrap(err)
	}
	return &ollamaChat{
		client: &ollama.Client{BaseURL: base, APIKey: key, HTTP: rt.Client()},
		req:    req,
		images: im,
	}, nil
}

// keepAlive parses Ollama's keep_alive: a duration ("5m") or a number of
// seconds ("300", "-1" for forever).
func keepAlive(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if n < 0 {
			return -1, nil
		}
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("input %q: parsing %q as a duration", inKeepAlive, s)
	}
	return d, nil
}

// ollamaChat is the chatOllama instance: an [llm.ChatModel] over Ollama's
// /api/chat. It is safe for concurrent use.
type ollamaChat struct {
	client *ollama.Client
	// req holds the configured settings; each call copies it and adds the
	// conversation. Options is shared and never modified after Init.
	req    ollama.ChatRequest
	images images
}

// Stream sends req and yields the answer (thinking text is left out) and
// then its usage; see [llm.ChatModel]. Without streaming Ollama answers
// with one object, yielded as one chunk.
func (m *ollamaChat) Stream(ctx context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		r, err := m.request(ctx, req)
		if err != nil {
			yield(llm.Chunk{}, fmt.Errorf("chatOllama: %w", err))
			return
		}
		var done bool
		var usage *llm.Usage
		for res, err := range m.client.Chat(ctx, &r) {
			if err != nil {
				yield(llm.Chunk{}, providerError(ctx, "chatOllama", err))
				return
			}
			if res.Done {
				done = true
				usage = tokens(int64(res.PromptEvalCount), int64(res.EvalCount))
			}
			if res.Message.Content == "" {
				continue
			}
			c := llm.Chunk{Content: res.Message.Content}
			if !*r.Stream {
				c.Usage, usage = usage, nil
			}
			if !yield(c, nil) {
				return
			}
		}
		switch {
		case ctx.Err() != nil:
			yield(llm.Chunk{}, ctx.Err())
			return
		case !done:
			yield(llm.Chunk{}, errors.New("chatOllama: calling ollama: stream ended before done"))
			return
		}
		if usage != nil {
			yield(llm.Chunk{Usage: usage}, nil)
		}
	}
}

// request adds req's conversation to the configured request, with the
// images of user turns when they are allowed.
func (m *ollamaChat) request(ctx context.Context, req llm.ChatRequest) (ollama.ChatRequest, error) {
	r := m.req
	if len(req.Messages) == 0 {
		return r, fmt.Errorf("no messages")
	}
	withImages := m.images.use(ctx, req)
	for i, msg := range req.Messages {
		switch msg.Role {
		case llm.RoleSystem, llm.RoleUser, llm.RoleAssistant:
		default:
			return r, fmt.Errorf("message %d: unsupported role %q", i, msg.Role)
		}
		om := ollama.Message{Role: string(msg.Role), Content: msg.Content}
		if withImages && msg.Role == llm.RoleUser {
			for j, img := range msg.Images {
				data, _, err := m.images.load(ctx, img)
				if err != nil {
					return r, fmt.Errorf("message %d: image %d: %w", i, j, err)
				}
				om.Images = append(om.Images, data)
			}
		}
		r.Messages = append(r.Messages, om)
	}
	if len(req.Stop) > 0 {
		opts := maps.Clone(r.Options)
		if opts == nil {
			opts = map[string]any{}
		}
		opts["stop"] = req.Stop
		r.Options = opts
	}
	return r, nil
}

var _ llm.ChatModel = (*ollamaChat)(nil)
