package node

import (
	"context"

	"github.com/floehq/floe/internal/llm"
)

// Runner is implemented by the instance of an ending node: the node whose
// output answers the prediction request (a chain, an agent, an engine).
//
// Run answers in.Question. It reports progress (tokens, source documents,
// used tools) through emit as it goes and returns the final result; the
// engine emits the closing events, so Run does not emit [EventEnd]. Run
// stops early, returning ctx.Err(), when ctx is done.
type Runner interface {
	Run(ctx context.Context, in RunInput, emit Emitter) (RunOutput, error)
}

// RunInput is the request an ending node answers.
type RunInput struct {
	// Question is the user's message.
	Question string
	// History holds messages the caller sent with the request (the API's
	// history field), oldest first. Chains put them before the turns their
	// memory returns, as Flowise's prependMessages.
	History []llm.Message
	// SessionID keys the memory of the conversation; ChatID names it.
	SessionID string
	ChatID    string
	// Overrides holds the request's overrideConfig, already filtered by
	// the flow's override permissions.
	Overrides map[string]any
	// Vars holds the values of $vars.<name> references.
	Vars map[string]string
	// Images are the pictures the user attached to this turn (image
	// uploads and image URLs). Chains attach them to the user message;
	// a chat model without image uploads enabled ignores them.
	Images []llm.Image
}

// RunOutput is an ending node's result.
type RunOutput struct {
	// Text is the answer.
	Text string
	// JSON holds a structured answer (e.g. an output parser's object); nil
	// when the answer is plain text.
	JSON any
	// SourceDocuments are the documents the answer was based on.
	SourceDocuments []llm.Document
	// UsedTools records the tool calls an agent made.
	UsedTools []UsedTool
	// Usage totals the tokens the run's model calls reported.
	Usage *llm.Usage
}

// UsedTool is one tool call in Flowise's usedTools shape.
type UsedTool struct {
	Tool            string         `json:"tool"`
	ToolInput       any            `json:"toolInput"`
	ToolOutput      string         `json:"toolOutput"`
	SourceDocuments []llm.Document `json:"sourceDocuments,omitempty"`
	Error           string         `json:"error,omitempty"`
}

// EventKind names an [Event]; the values are Flowise's SSE event names.
type EventKind string

// Event kinds, in the order a run usually emits them.
const (
	// EventStart opens a streamed answer; Data is the empty string.
	EventStart EventKind = "start"
	// EventToken carries a text delta in Data (a string).
	EventToken EventKind = "token"
	// EventSourceDocuments carries the retrieved []llm.Document.
	EventSourceDocuments EventKind = "sourceDocuments"
	// EventUsedTools carries the tools an agent called.
	EventUsedTools EventKind = "usedTools"
	// EventAgentReasoning carries an agent's intermediate steps.
	EventAgentReasoning EventKind = "agentReasoning"
	// EventMetadata carries chatId, chatMessageId and similar ids.
	EventMetadata EventKind = "metadata"
	// EventEnd closes the stream; Data is "[DONE]".
	EventEnd EventKind = "end"
	// EventError reports a failure after streaming began; Data is the
	// message.
	EventError EventKind = "error"
)

// Event is one progress report of a run, sent to an [Emitter]. Data must be
// JSON-serialisable; its shape depends on Kind.
type Event struct {
	Kind EventKind
	Data any
}

// Emitter consumes the events of a run. The engine passes one backed by a
// server-sent-event stream, or [Discard] when the client did not ask to
// stream. Emit is called from one goroutine at a time unless the
// implementation documents otherwise. An error from Emit (for example, the
// client went away) should make the producer stop and return it.
type Emitter interface {
	Emit(Event) error
}

// EmitterFunc adapts a function to the [Emitter] interface.
type EmitterFunc func(Event) error

// Emit calls f(e).
func (f EmitterFunc) Emit(e Event) error { return f(e) }

// Discard is an [Emitter] that drops every event.
var Discard Emitter = EmitterFunc(func(Event) error { return nil })
