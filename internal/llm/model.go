package llm

import (
	"context"
	"iter"
)

// ChatRequest is the input of one [ChatModel.Stream] call. Model settings
// (model name, temperature, ...) belong to the ChatModel value, which is
// configured once by its node; the request carries only the conversation.
type ChatRequest struct {
	// Messages is the conversation so far, oldest first. It must not be
	// empty.
	Messages []Message
}

// Chunk is one piece of a streamed model response.
type Chunk struct {
	// Content is the text delta: the full answer is the concatenation of
	// every chunk's Content in order. It may be empty.
	Content string
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
