package embeddings

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// The advanced inputs of the OpenAI and OpenAI Custom nodes, in Flowise's
// order.
var (
	stripNewLinesParam = node.Param{Label: "Strip New Lines", Name: inStripNewLines, Type: node.TypeBoolean, Optional: true, AdditionalParams: true}
	batchSizeParam     = node.Param{Label: "Batch Size", Name: inBatchSize, Type: node.TypeNumber, Optional: true, AdditionalParams: true}
	timeoutParam       = node.Param{Label: "Timeout", Name: inTimeout, Type: node.TypeNumber, Optional: true, AdditionalParams: true}
	basepathParam      = node.Param{Label: "Base Path", Name: inBasepath, Type: node.TypeString, Optional: true, Description: descBasepath, AdditionalParams: true}
	baseOptionsParam   = node.Param{Label: "Base Options", Name: inBaseOptions, Type: node.TypeJSON, Optional: true, Description: descBaseOptions, AdditionalParams: true}
	dimensionsParam    = node.Param{Label: "Dimensions", Name: inDimensions, Type: node.TypeNumber, Optional: true, AdditionalParams: true}
	encodingParam      = node.Param{
		Label:            "Encoding Format",
		Name:             inEncoding,
		Type:             node.TypeOptions,
		Options:          []node.Option{{Label: "float", Name: openai.EncodingFloat}, {Label: "base64", Name: openai.EncodingBase64}},
		Optional:         true,
		AdditionalParams: true,
	}
)

// openAIEmbeddings mirrors Flowise's OpenAIEmbedding node
// (nodes/embeddings/OpenAIEmbedding): OpenAI's embeddings API. The base URL
// is the Base Path input, else OPENAI_BASE_URL, else
// https://api.openai.com/v1.
var openAIEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "OpenAI Embedding",
		Name:        "openAIEmbeddings",
		Version:     4,
		Type:        "OpenAIEmbeddings",
		Icon:        "openai.svg",
		Category:    category,
		Description: "OpenAI API to generate embeddings for a given text",
		BaseClasses: []string{"OpenAIEmbeddings", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"openAIApi"}},
		Inputs: []node.Param{
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "text-embedding-ada-002"},
			stripNewLinesParam, batchSizeParam, timeoutParam, basepathParam, baseOptionsParam, dimensionsParam, encodingParam,
		},
	},
	Init: openAIInit("openAIEmbeddings"),
	Load: map[string]node.LoadFunc{"listModels": listModels("openAIEmbeddings")},
}

// openAIInit is the Init of the OpenAI and OpenAI Custom nodes, which
// differ only in their spec.
func openAIInit(name string) node.InitFunc {
	return func(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
		in, err := readOpenAIInputs(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		strs, err := readStrings(data, inModelName, inBasepath)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		key, err := node.CredentialParam(ctx, data, rt, "openAIApiKey")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return newOpenAI(openai.EmbedConfig{
			Node:           name,
			Provider:       "openai",
			BaseURL:        baseURL(strs[1], "OPENAI_BASE_URL", "https://api.openai.com/v1"),
			APIKey:         key,
			Headers:        in.headers,
			HTTPClient:     rt.Client(),
			Timeout:        in.timeout,
			Model:          cmp.Or(strs[0], "text-embedding-ada-002"),
			Dimensions:     in.dimensions,
			EncodingFormat: in.encoding,
		}, in.batchSize, in.stripNewLines)
	}
}

// openAIInputs are the inputs that the OpenAI-backed nodes share. Each node
// uses only those its Flowise spec has.
type openAIInputs struct {
	stripNewLines bool
	batchSize     int
	timeout       time.Duration
	headers       map[string]string
	dimensions    int
	encoding      string
}

// readOpenAIInputs reads the shared inputs with the defaults of LangChain's
// OpenAIEmbeddings: newlines stripped, batches of 512, and base64 vectors
// (the OpenAI Node SDK's default, which is what Flowise sends).
func readOpenAIInputs(data *node.Data) (openAIInputs, error) {
	var in openAIInputs
	var err error
	if in.stripNewLines, err = data.Bool(inStripNewLines, true); err != nil {
		return in, err
	}
	if in.batchSize, err = positive(data, inBatchSize, 512); err != nil {
		return in, err
	}
	if in.timeout, err = timeout(data); err != nil {
		return in, err
	}
	if in.headers, err = headers(data, inBaseOptions); err != nil {
		return in, err
	}
	if in.dimensions, err = positive(data, inDimensions, 0); err != nil {
		return in, err
	}
	if in.encoding, err = data.String(inEncoding, openai.EncodingBase64); err != nil {
		return in, err
	}
	return in, nil
}

// newOpenAI builds the embedder of an OpenAI-compatible node: batches of
// batchSize texts sent through an [openai.Embedder].
func newOpenAI(cfg openai.EmbedConfig, batchSize int, stripNewLines bool) (any, error) {
	e, err := openai.NewEmbedder(cfg)
	if err != nil {
		return nil, err
	}
	return &batcher{node: cfg.Node, size: batchSize, concurrency: defaultConcurrency, stripNewLines: stripNewLines, call: e.Embed}, nil
}
