package ollama

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
)

// ChatRequest is the body of /api/chat. Options is always sent (an empty
// map as {}); nil and zero fields other than it are left out.
type ChatRequest struct {
	Model    string    `json:"model"`
	Messages []Message `json:"messages"`
	// Stream selects NDJSON chunks (true, the server's default when nil)
	// or one answer object (false).
	Stream *bool `json:"stream,omitempty"`
	// Format is "json" (as a JSON string) or a JSON schema.
	Format json.RawMessage `json:"format,omitempty"`
	// KeepAlive is how long the model stays loaded after the call.
	KeepAlive *Duration `json:"keep_alive,omitempty"`
	// Options are model parameters: temperature, top_p, top_k, num_ctx,
	// num_predict, stop, ... (see Ollama's modelfile docs).
	Options map[string]any `json:"options"`
	// Think, when non-nil, is a bool or a level ("low", "medium",
	// "high") for reasoning models.
	Think any `json:"think,omitempty"`
}

// Message is one chat turn. Role is "system", "user", "assistant" or
// "tool". Images holds raw image bytes, sent in base64; Thinking is the
// reasoning text of answers from thinking models.
type Message struct {
	Role     string   `json:"role"`
	Content  string   `json:"content"`
	Thinking string   `json:"thinking,omitempty"`
	Images   [][]byte `json:"images,omitempty"`
}

// ChatResponse is one chunk of a streamed chat answer, or the whole answer
// when streaming is off. The last one has Done set, with DoneReason and
// the token counts.
type ChatResponse struct {
	Model           string  `json:"model"`
	CreatedAt       string  `json:"created_at"`
	Message         Message `json:"message"`
	Done            bool    `json:"done"`
	DoneReason      string  `json:"done_reason,omitempty"`
	PromptEvalCount int     `json:"prompt_eval_count,omitempty"`
	EvalCount       int     `json:"eval_count,omitempty"`
	TotalDuration   int64   `json:"total_duration,omitempty"`
}

// Chat posts req to /api/chat and yields each answer object as it
// arrives: the NDJSON chunks of a streamed call, or the single answer of a
// call with Stream false. The request is sent when the sequence is first
// ranged over and aborted when ctx ends or the caller stops ranging. An
// error, including an {"error": ...} line in the stream, is yielded once
// and ends the sequence; when ctx ended it matches ctx.Err() under
// [errors.Is]. A stream cut before its Done chunk ends without an error:
// callers that need the final counts check Done.
func (c *Client) Chat(ctx context.Context, req *ChatRequest) iter.Seq2[*ChatResponse, error] {
	return func(yield func(*ChatResponse, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		fail := func(err error) { yield(nil, fmt.Errorf("ollama: chat: %w", ctxErr(ctx, err))) }
		// Ollama's own client asks for NDJSON whether or not it streams.
		res, err := c.post(ctx, "/api/chat", "application/x-ndjson", req)
		if err != nil {
			fail(err)
			return
		}
		defer res.Body.Close()
		dec := json.NewDecoder(res.Body)
		for {
			var chunk struct {
				ChatResponse
				Error string `json:"error"`
			}
			err := dec.Decode(&chunk)
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				fail(fmt.Errorf("reading answer: %w", err))
				return
			}
			if chunk.Error != "" {
				fail(&Error{Message: chunk.Error})
				return
			}
			if !yield(&chunk.ChatResponse, nil) {
				return
			}
		}
	}
}
