package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/floehq/floe/internal/llm"
)

// Encoding formats for [EmbedConfig.EncodingFormat].
const (
	// EncodingFloat asks for vectors as JSON number arrays.
	EncodingFloat = "float"
	// EncodingBase64 asks for vectors as base64 strings of little-endian
	// float32 values, which is what the OpenAI Node SDK (and so Flowise)
	// requests by default.
	EncodingBase64 = "base64"
)

// EmbedConfig configures an [Embedder]. Zero fields are left out of the
// request, so the vendor's defaults apply.
type EmbedConfig struct {
	// Node and Provider name the node and the vendor in errors, as in
	// "openAIEmbeddings: calling openai: ...".
	Node     string
	Provider string
	// BaseURL is the API root that "/embeddings" is appended to, e.g.
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
	// Timeout bounds each call; zero means no limit beyond the caller's
	// context.
	Timeout time.Duration

	// Model is the embedding model name.
	Model string
	// Dimensions, when positive, asks for vectors of that size (OpenAI's
	// text-embedding-3 models and later).
	Dimensions int
	// EncodingFormat is sent as "encoding_format" when set: EncodingFloat
	// or EncodingBase64. Either way Embed returns decoded vectors.
	EncodingFormat string
}

// Embedder calls an OpenAI-compatible embeddings endpoint. It is safe for
// concurrent use. Embed sends all its texts in one request; callers that
// need batching (as Flowise's nodes do) split the texts themselves.
type Embedder struct {
	cfg EmbedConfig
	svc oai.EmbeddingService
}

// NewEmbedder returns an Embedder for cfg. It checks that cfg has a base URL
// but makes no request. Like [New], it never reads OPENAI_* environment
// variables.
func NewEmbedder(cfg EmbedConfig) (*Embedder, error) {
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("%s: no base URL for %s", cfg.Node, cfg.Provider)
	}
	// NewEmbeddingService, unlike NewClient, applies no defaults from the
	// process environment.
	return &Embedder{cfg: cfg, svc: oai.NewEmbeddingService(requestOptions(cfg.BaseURL, cfg.APIKey, cfg.HTTPClient, cfg.Headers, cfg.Query)...)}, nil
}

// Embed sends texts in one request and returns their vectors in the order
// of texts, whatever order the vendor listed them in; see [llm.Embedder].
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	params := oai.EmbeddingNewParams{
		Model: e.cfg.Model,
		Input: oai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
	}
	if e.cfg.Dimensions > 0 {
		params.Dimensions = oai.Int(int64(e.cfg.Dimensions))
	}
	if e.cfg.EncodingFormat != "" {
		params.EncodingFormat = oai.EmbeddingNewParamsEncodingFormat(e.cfg.EncodingFormat)
	}
	callCtx, cancel := ctx, context.CancelFunc(func() {})
	if e.cfg.Timeout > 0 {
		callCtx, cancel = context.WithTimeout(ctx, e.cfg.Timeout)
	}
	defer cancel()
	// The SDK sends the request (auth, headers, retries, API errors); the
	// body is decoded here, as float32 straight from base64 or JSON,
	// rather than through the SDK's general decoder (float64, several
	// passes), which dominated upserts.
	var body []byte
	if _, err := e.svc.New(callCtx, params, option.WithResponseBodyInto(&body)); err != nil {
		return nil, e.fail(ctx, err)
	}
	out := make([][]float32, len(texts))
	if err := decodeEmbeddings(body, out); err != nil {
		return nil, fmt.Errorf("%s: calling %s: %w", e.cfg.Node, e.cfg.Provider, err)
	}
	got := 0
	for _, v := range out {
		if v != nil {
			got++
		}
	}
	if got != len(texts) {
		return nil, fmt.Errorf("%s: calling %s: got %d embeddings for %d texts", e.cfg.Node, e.cfg.Provider, got, len(texts))
	}
	return out, nil
}

// fail turns a call error into the error Embed returns: ctx.Err() when the
// caller's context is done, otherwise the error wrapped with the node and
// vendor names (and the timeout when it fired).
func (e *Embedder) fail(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if e.cfg.Timeout > 0 && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: calling %s: timed out after %s: %w", e.cfg.Node, e.cfg.Provider, e.cfg.Timeout, err)
	}
	if apiErr, ok := errors.AsType[*oai.Error](err); ok && apiErr.Message != "" {
		return fmt.Errorf("%s: calling %s: %w: %s", e.cfg.Node, e.cfg.Provider, err, apiErr.Message)
	}
	return fmt.Errorf("%s: calling %s: %w", e.cfg.Node, e.cfg.Provider, err)
}

var _ llm.Embedder = (*Embedder)(nil)
