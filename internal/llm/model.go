package llm

import (
	"context"
	"iter"
	"strings"
)

// ChatRequest is the input of one [ChatModel.Stream] call. Model settings
// (model name, temperature, ...) belong to the ChatModel value, which is
// configured once by its node; the request carries only the conversation.
type ChatRequest struct {
	// Messages is the conversation so far, oldest first. It must not be
	// empty.
	Messages []Message
	// Stop, when non-empty, replaces the model's configured stop sequences
	// for this call.
	Stop []string
}

// Chunk is one piece of a streamed model response.
type Chunk struct {
	// Content is the text delta: the full answer is the concatenation of
	// every chunk's Content in order. It may be empty.
	Content string
	// Usage is set on (at most) one chunk, normally the last, when the
	// provider reports token counts.
	Usage *Usage
}

// Usage counts the tokens of one model call, as the provider reported them.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

// Add returns the sum of u and v; either may be nil.
func (u *Usage) Add(v *Usage) *Usage {
	switch {
	case u == nil:
		return v
	case v == nil:
		return u
	}
	return &Usage{InputTokens: u.InputTokens + v.InputTokens, OutputTokens: u.OutputTokens + v.OutputTokens, TotalTokens: u.TotalTokens + v.TotalTokens}
}

// Collect drains a stream into its full text and total usage. On error it
// returns the text received so far with the error.
func Collect(seq iter.Seq2[Chunk, error]) (string, *Usage, error) {
	var b strings.Builder
	var usage *Usage
	for c, err := range seq {
		if err != nil {
			return b.String(), usage, err
		}
		b.WriteString(c.Content)
		usage = usage.Add(c.Usage)
	}
	return b.String(), usage, nil
}

// ChatModel is a conversational language model.
//
// Stream sends req and yields the response as it arrives, in order. The
// caller owns the sequence: breaking out of the range loop stops the stream
// and releases its resources, and the sequence may be ranged over only once.
// When the model fails, the sequence yields a zero [Chunk] with a non-nil
// error and then stops. It also stops, yielding ctx.Err(), when ctx is done.
//
// Implementations are safe for concurrent use by multiple goroutines; each
// Stream call is independent.
type ChatModel interface {
	Stream(ctx context.Context, req ChatRequest) iter.Seq2[Chunk, error]
}

// Embedder turns texts into embedding vectors.
//
// Embed returns one vector per text, in the order of texts, all of the same
// dimension. An empty texts slice returns an empty result and no error.
// Implementations are safe for concurrent use.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}
