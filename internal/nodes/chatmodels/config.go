package chatmodels

import (
	"context"
	"fmt"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// Input names shared by several chat model nodes, as Flowise spells them.
const (
	inCache             = "cache"
	inModelName         = "modelName"
	inTemperature       = "temperature"
	inStreaming         = "streaming"
	inAllowImageUploads = "allowImageUploads"
	inMaxTokens         = "maxTokens"
	inTopP              = "topP"
	inTopK              = "topK"
	inFrequencyPenalty  = "frequencyPenalty"
	inPresencePenalty   = "presencePenalty"
	inTimeout           = "timeout"
	inStopSequence      = "stopSequence"
	inBasepath          = "basepath"
	inBaseOptions       = "baseOptions"
	inBaseURL           = "baseUrl"
)

// Texts repeated across specs.
const (
	category              = "Chat Models"
	credentialLabel       = "Connect Credential"
	descAllowImageUploads = `Allow image input. Refer to the <a href="https://docs.flowiseai.com/using-flowise/uploads#image" target="_blank">docs</a> for more details.`
	descStopSequence      = "List of stop words to use when generating. Use comma to separate multiple stop words."
	descBasepath          = `Override the default base URL for the API, e.g., "https://api.example.com/v2/`
	descBaseOptions       = "Default headers to include with every request to the API."
)

// getenv reads the environment variables the nodes consult: the vendor
// base URL overrides (OPENAI_BASE_URL, ...) and Azure's credential
// fallbacks. Tests replace it so they never depend on the process
// environment.
var getenv = os.Getenv

// baseURL picks a vendor base URL: the node's input when set, else the
// environment variable env, else def. Trailing slashes are dropped.
func baseURL(input, env, def string) string {
	for _, u := range []string{input, getenv(env), def} {
		if u = strings.TrimSpace(u); u != "" {
			return strings.TrimRight(u, "/")
		}
	}
	return ""
}

// optFloat reads an optional number input: nil when absent.
func optFloat(data *node.Data, name string) (*float64, error) {
	if !data.Has(name) {
		return nil, nil
	}
	f, err := data.Float(name, 0)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// readStrings reads string inputs, "" for absent ones, in order.
func readStrings(data *node.Data, names ...string) ([]string, error) {
	out := make([]string, len(names))
	for i, name := range names {
		var err error
		if out[i], err = data.String(name, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// splitStop turns a comma separated stop-sequence input into its trimmed,
// non-empty parts.
func splitStop(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// openAIInputs are the inputs that the OpenAI-compatible nodes share. Each
// node copies into its [openai.Config] only those its Flowise spec has.
type openAIInputs struct {
	temperature, topP, frequencyPenalty, presencePenalty *float64
	maxTokens                                            int
	timeout                                              time.Duration
	streaming                                            bool
	stop                                                 []string
	headers                                              map[string]string
}

// readOpenAIInputs reads the shared inputs, with Flowise's defaults for
// absent ones (streaming on, everything else unset).
func readOpenAIInputs(data *node.Data) (openAIInputs, error) {
	var in openAIInputs
	var err error
	if in.temperature, err = optFloat(data, inTemperature); err != nil {
		return in, err
	}
	if in.topP, err = optFloat(data, inTopP); err != nil {
		return in, err
	}
	if in.frequencyPenalty, err = optFloat(data, inFrequencyPenalty); err != nil {
		return in, err
	}
	if in.presencePenalty, err = optFloat(data, inPresencePenalty); err != nil {
		return in, err
	}
	if in.maxTokens, err = data.Int(inMaxTokens, 0); err != nil {
		return in, err
	}
	ms, err := data.Int(inTimeout, 0)
	if err != nil {
		return in, err
	}
	in.timeout = time.Duration(ms) * time.Millisecond
	if in.streaming, err = data.Bool(inStreaming, true); err != nil {
		return in, err
	}
	stop, err := data.String(inStopSequence, "")
	if err != nil {
		return in, err
	}
	in.stop = splitStop(stop)
	if in.headers, err = headers(data, inBaseOptions); err != nil {
		return in, err
	}
	return in, nil
}

// headers reads a json input holding extra request headers (Flowise's
// baseOptions, passed to the OpenAI client as defaultHeaders). Non-string
// values are formatted.
func headers(data *node.Data, name string) (map[string]string, error) {
	var raw map[string]any
	if err := data.JSON(name, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			out[k] = fmt.Sprint(v)
		}
	}
	return out, nil
}

// newOpenAI builds the chat model of an OpenAI-compatible node, which
// sends the images of user turns only when im allows them. It returns a
// nil interface on error, never a typed nil.
func newOpenAI(cfg openai.Config, im images) (any, error) {
	m, err := openai.New(cfg)
	if err != nil {
		return nil, err
	}
	return &openAIChat{model: m, images: im}, nil
}

// openAIChat is the instance of the OpenAI-compatible nodes: the provider's
// chat model behind the node's image policy. It is safe for concurrent use.
type openAIChat struct {
	model  *openai.ChatModel
	images images
}

// Stream sends req, without its images unless the node allows them, and
// yields the answer; see [openai.ChatModel.Stream].
func (m *openAIChat) Stream(ctx context.Context, req llm.ChatRequest) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		for c, err := range m.model.Stream(ctx, m.images.filter(ctx, req)) {
			if !yield(c, err) {
				return
			}
		}
	}
}

// callError turns a vendor call error into the error a Stream yields:
// ctx.Err() when the caller's context is done, else the error wrapped with
// the node and vendor names.
func callError(ctx context.Context, nodeName, provider string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return fmt.Errorf("%s: calling %s: %w", nodeName, provider, err)
}

// providerError is [callError] for the errors of the internal/provider
// clients, which already begin with the vendor's name: it gives e.g.
// "chatOllama: calling ollama: chat: 404 Not Found: ...".
func providerError(ctx context.Context, nodeName string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return fmt.Errorf("%s: calling %w", nodeName, err)
}

// tokens builds a usage from input and output counts, or returns nil when
// the vendor reported none.
func tokens(in, out int64) *llm.Usage {
	if in == 0 && out == 0 {
		return nil
	}
	return &llm.Usage{InputTokens: int(in), OutputTokens: int(out), TotalTokens: int(in + out)}
}

// isReasoningModelOpenAI reports whether an OpenAI model is a reasoning
// model (o-series, gpt-5 except its -chat variants, codex-mini), which
// rejects temperature and stop sequences. It follows Flowise's rule.
func isReasoningModelOpenAI(name string) bool {
	switch {
	case len(name) >= 2 && name[0] == 'o' && strings.ContainsRune("134", rune(name[1])):
		return true
	case name == "codex-mini":
		return true
	case strings.Contains(name, "gpt-5"):
		return !strings.Contains(name, "-chat")
	}
	return false
}

var _ llm.ChatModel = (*openAIChat)(nil)
