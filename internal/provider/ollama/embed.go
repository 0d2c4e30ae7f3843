package ollama

import (
	"context"
	"encoding/json"
	"fmt"
)

// EmbedRequest is the body of /api/embed. Nil and zero fields are left
// out.
type EmbedRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
	// Truncate, when false, makes inputs longer than the context an error
	// instead of cutting them (the server truncates when nil).
	Truncate   *bool          `json:"truncate,omitempty"`
	Dimensions int            `json:"dimensions,omitempty"`
	KeepAlive  *Duration      `json:"keep_alive,omitempty"`
	Options    map[string]any `json:"options,omitempty"`
}

// Embed posts req to /api/embed and returns one vector per input, in
// order.
func (c *Client) Embed(ctx context.Context, req *EmbedRequest) ([][]float32, error) {
	if len(req.Input) == 0 {
		return [][]float32{}, nil
	}
	res, err := c.post(ctx, "/api/embed", "application/json", req)
	if err != nil {
		return nil, fmt.Errorf("ollama: embed: %w", ctxErr(ctx, err))
	}
	defer res.Body.Close()
	var out struct {
		Embeddings [][]float32 `json:"embeddings"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("ollama: embed: decoding response: %w", ctxErr(ctx, err))
	}
	if len(out.Embeddings) != len(req.Input) {
		return nil, fmt.Errorf("ollama: embed: got %d embeddings for %d inputs", len(out.Embeddings), len(req.Input))
	}
	return out.Embeddings, nil
}
