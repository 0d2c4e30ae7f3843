package embeddings

import (
	"cmp"
	"context"
	"fmt"
	"net/url"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/ollama"
)

// Inputs of the Ollama node.
const (
	inBaseURL   = "baseUrl"
	inNumGpu    = "numGpu"
	inNumThread = "numThread"
	inUseMMap   = "useMMap"
)

// ollamaDocs ends the descriptions of Ollama's model parameters.
const ollamaDocs = `Refer to <a target="_blank" href="https://github.com/jmorganca/ollama/blob/main/docs/modelfile.md#valid-parameters-and-values">docs</a> for more details`

// ollamaEmbedding mirrors Flowise's OllamaEmbedding node
// (nodes/embeddings/OllamaEmbedding): Ollama's /api/embed. The server is the
// Base URL input, else OLLAMA_BASE_URL, else http://localhost:11434. As
// LangChain's OllamaEmbeddings, it sends all texts in one request with
// "truncate": false and the options num_gpu, num_thread and use_mmap
// (true unless the Use MMap input is off).
var ollamaEmbedding = node.Definition{
	Spec: node.Spec{
		Label:       "Ollama Embedding",
		Name:        "ollamaEmbedding",
		Version:     2,
		Type:        "OllamaEmbeddings",
		Icon:        "Ollama.svg",
		Category:    category,
		Description: "Generate embeddings for a given text using open source model on Ollama",
		BaseClasses: []string{"OllamaEmbeddings", "Embeddings"},
		Inputs: []node.Param{
			{Label: "Base URL", Name: inBaseURL, Type: node.TypeString, Default: "http://localhost:11434"},
			{Label: "Model Name", Name: inModelName, Type: node.TypeString, Placeholder: "llama2"},
			{
				Label:            "Number of GPU",
				Name:             inNumGpu,
				Type:             node.TypeNumber,
				Description:      "The number of layers to send to the GPU(s). On macOS it defaults to 1 to enable metal support, 0 to disable. " + ollamaDocs,
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Number of Thread",
				Name:             inNumThread,
				Type:             node.TypeNumber,
				Description:      "Sets the number of threads to use during computation. By default, Ollama will detect this for optimal performance. It is recommended to set this value to the number of physical CPU cores your system has (as opposed to the logical number of cores). " + ollamaDocs,
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
			},
			{Label: "Use MMap", Name: inUseMMap, Type: node.TypeBoolean, Default: true, Optional: true, AdditionalParams: true},
		},
	},
	Init: initOllamaEmbedding,
}

func initOllamaEmbedding(_ context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "ollamaEmbedding"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	strs, err := readStrings(data, inModelName, inBaseURL)
	if err != nil {
		return wrap(err)
	}
	base := baseURL(strs[1], "OLLAMA_BASE_URL", ollama.DefaultBaseURL)
	if _, err := url.Parse(base); err != nil {
		return wrap(fmt.Errorf("parsing base URL: %w", err))
	}
	opts := map[string]any{}
	for _, o := range []struct{ input, option string }{{inNumThread, "num_thread"}, {inNumGpu, "num_gpu"}} {
		if !data.Has(o.input) {
			continue
		}
		v, err := data.Float(o.input, 0)
		if err != nil {
			return wrap(err)
		}
		opts[o.option] = v
	}
	if opts["use_mmap"], err = data.Bool(inUseMMap, true); err != nil {
		return wrap(err)
	}
	truncate := false
	e := &ollamaEmbedder{
		client: &ollama.Client{BaseURL: base, HTTP: rt.Client()},
		req:    ollama.EmbedRequest{Model: cmp.Or(strs[0], "mxbai-embed-large"), Truncate: &truncate, Options: opts},
	}
	return &batcher{node: name, call: e.Embed}, nil
}

// ollamaEmbedder calls Ollama's /api/embed. It is safe for concurrent use.
type ollamaEmbedder struct {
	client *ollama.Client
	// req holds the configured settings; each call copies it and adds the
	// texts. Options is shared and never modified after Init.
	req ollama.EmbedRequest
}

// Embed sends texts in one request; see [llm.Embedder].
func (e *ollamaEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	req := e.req
	req.Input = texts
	vecs, err := e.client.Embed(ctx, &req)
	if err != nil {
		return nil, providerError(ctx, "ollamaEmbedding", err)
	}
	return vecs, nil
}

var _ llm.Embedder = (*ollamaEmbedder)(nil)
