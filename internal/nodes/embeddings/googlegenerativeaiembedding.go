package embeddings

import (
	"cmp"
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/gemini"
)

const inTaskType = "tasktype"

// googleGenerativeAiEmbeddings mirrors Flowise's GoogleGenerativeAIEmbedding
// node (nodes/embeddings/GoogleGenerativeAIEmbedding): the Gemini API's
// batchEmbedContents method, 100 texts per request as in LangChain. Flowise
// has no base URL input; GOOGLE_GEMINI_BASE_URL overrides
// https://generativelanguage.googleapis.com (the client appends the API
// version, v1beta). Newlines are kept unless Strip New Lines is on.
var googleGenerativeAiEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "Google Gemini Embedding",
		Name:        "googleGenerativeAiEmbeddings",
		Version:     2,
		Type:        "GoogleGenerativeAiEmbeddings",
		Icon:        "GoogleGemini.svg",
		Category:    category,
		Description: "Google Generative API to generate embeddings for a given text",
		// Flowise's node class extends LangChain's, whose name comes first.
		BaseClasses: []string{"GoogleGenerativeAiEmbeddings", "GoogleGenerativeAIEmbeddings", "Embeddings"},
		Credential: &node.Param{
			Label:           credentialLabel,
			Name:            "credential",
			Type:            node.TypeCredential,
			CredentialNames: []string{"googleGenerativeAI"},
			Description:     "Google Generative AI credential.",
		},
		Inputs: []node.Param{
			{Label: "Model Name", Name: inModelName, Type: node.TypeAsyncOptions, LoadMethod: "listModels", Default: "gemini-embedding-001"},
			{
				Label:       "Task Type",
				Name:        inTaskType,
				Type:        node.TypeOptions,
				Description: "Type of task for which the embedding will be used",
				Options: []node.Option{
					{Label: "TASK_TYPE_UNSPECIFIED", Name: "TASK_TYPE_UNSPECIFIED"},
					{Label: "RETRIEVAL_QUERY", Name: "RETRIEVAL_QUERY"},
					{Label: "RETRIEVAL_DOCUMENT", Name: "RETRIEVAL_DOCUMENT"},
					{Label: "SEMANTIC_SIMILARITY", Name: "SEMANTIC_SIMILARITY"},
					{Label: "CLASSIFICATION", Name: "CLASSIFICATION"},
					{Label: "CLUSTERING", Name: "CLUSTERING"},
				},
				Default: "TASK_TYPE_UNSPECIFIED",
			},
			{
				Label:            "Strip New Lines",
				Name:             inStripNewLines,
				Type:             node.TypeBoolean,
				Optional:         true,
				AdditionalParams: true,
				Description:      "Remove new lines from input text before embedding to reduce token count",
			},
		},
	},
	Init: initGoogleGenerativeAiEmbeddings,
	Load: map[string]node.LoadFunc{"listModels": listModels("googleGenerativeAiEmbeddings")},
}

// geminiTaskTypes are the task types Flowise passes on; any other value
// becomes TASK_TYPE_UNSPECIFIED, as in Flowise's switch.
var geminiTaskTypes = map[string]bool{
	"RETRIEVAL_QUERY": true, "RETRIEVAL_DOCUMENT": true, "SEMANTIC_SIMILARITY": true, "CLASSIFICATION": true, "CLUSTERING": true,
}

func initGoogleGenerativeAiEmbeddings(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "googleGenerativeAiEmbeddings"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	strs, err := readStrings(data, inModelName, inTaskType)
	if err != nil {
		return wrap(err)
	}
	task := strs[1]
	if !geminiTaskTypes[task] {
		task = "TASK_TYPE_UNSPECIFIED"
	}
	strip, err := data.Bool(inStripNewLines, false)
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
	e := &geminiEmbedder{
		client: &gemini.Client{
			BaseURL: baseURL("", "GOOGLE_GEMINI_BASE_URL", gemini.DefaultBaseURL),
			APIKey:  key,
			HTTP:    rt.Client(),
		},
		model: cmp.Or(strs[0], "gemini-embedding-001"),
		task:  task,
	}
	return &batcher{node: name, size: 100, concurrency: defaultConcurrency, stripNewLines: strip, call: e.Embed}, nil
}

// geminiEmbedder calls the Gemini API's batchEmbedContents. It is safe for
// concurrent use.
type geminiEmbedder struct {
	client *gemini.Client
	model  string
	task   string
}

// Embed sends texts in one request; see [llm.Embedder].
func (e *geminiEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	reqs := make([]gemini.EmbedContentRequest, len(texts))
	for i, t := range texts {
		reqs[i] = gemini.EmbedContentRequest{
			Content:  gemini.Content{Role: gemini.RoleUser, Parts: []gemini.Part{{Text: t}}},
			TaskType: e.task,
		}
	}
	vecs, err := e.client.BatchEmbedContents(ctx, e.model, reqs)
	if err != nil {
		return nil, providerError(ctx, "googleGenerativeAiEmbeddings", err)
	}
	return vecs, nil
}

var _ llm.Embedder = (*geminiEmbedder)(nil)
