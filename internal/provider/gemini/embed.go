package gemini

import (
	"context"
	"errors"
	"fmt"
)

// EmbedContentRequest asks for the embedding of one content. Model is the
// model's resource name ("models/gemini-embedding-001"); the embedding
// methods fill it in when it is empty. TaskType is e.g. RETRIEVAL_DOCUMENT.
type EmbedContentRequest struct {
	Model                string  `json:"model,omitempty"`
	Content              Content `json:"content"`
	TaskType             string  `json:"taskType,omitempty"`
	Title                string  `json:"title,omitempty"`
	OutputDimensionality int     `json:"outputDimensionality,omitempty"`
}

// contentEmbedding is one vector of an embedding answer.
type contentEmbedding struct {
	Values []float32 `json:"values"`
}

// EmbedContent calls model's embedContent method and returns the vector of
// req's content.
func (c *Client) EmbedContent(ctx context.Context, model string, req EmbedContentRequest) ([]float32, error) {
	var out struct {
		Embedding *contentEmbedding `json:"embedding"`
	}
	if err := c.call(ctx, model, "embedContent", req, &out); err != nil {
		return nil, fmt.Errorf("gemini: embedContent: %w", err)
	}
	if out.Embedding == nil {
		return nil, errors.New("gemini: embedContent: no embedding in the answer")
	}
	return out.Embedding.Values, nil
}

// BatchEmbedContents calls model's batchEmbedContents method and returns
// one vector per request, in order. Requests without a Model get model's
// resource name, which the API requires in each.
func (c *Client) BatchEmbedContents(ctx context.Context, model string, reqs []EmbedContentRequest) ([][]float32, error) {
	if len(reqs) == 0 {
		return [][]float32{}, nil
	}
	name, err := modelPath(model)
	if err != nil {
		return nil, fmt.Errorf("gemini: batchEmbedContents: %w", err)
	}
	body := struct {
		Requests []EmbedContentRequest `json:"requests"`
	}{make([]EmbedContentRequest, len(reqs))}
	for i, r := range reqs {
		if r.Model == "" {
			r.Model = name
		}
		body.Requests[i] = r
	}
	var out struct {
		Embeddings []*contentEmbedding `json:"embeddings"`
	}
	if err := c.call(ctx, model, "batchEmbedContents", body, &out); err != nil {
		return nil, fmt.Errorf("gemini: batchEmbedContents: %w", err)
	}
	if len(out.Embeddings) != len(reqs) {
		return nil, fmt.Errorf("gemini: batchEmbedContents: got %d embeddings for %d requests", len(out.Embeddings), len(reqs))
	}
	vecs := make([][]float32, len(reqs))
	for i, e := range out.Embeddings {
		if e == nil {
			return nil, fmt.Errorf("gemini: batchEmbedContents: no embedding %d", i)
		}
		vecs[i] = e.Values
	}
	return vecs, nil
}
