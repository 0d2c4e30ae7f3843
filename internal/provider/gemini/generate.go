package gemini

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
)

// maxEvent bounds one server-sent event of a streamed answer (a chunk may
// carry an inline image).
const maxEvent = 32 << 20

// Roles of a [Content].
const (
	RoleUser  = "user"
	RoleModel = "model"
)

// GenerateContentRequest is the body of generateContent and
// streamGenerateContent. Nil and zero fields are left out, so the API's
// defaults apply.
type GenerateContentRequest struct {
	Contents          []Content         `json:"contents"`
	SystemInstruction *Content          `json:"systemInstruction,omitempty"`
	GenerationConfig  *GenerationConfig `json:"generationConfig,omitempty"`
	SafetySettings    []SafetySetting   `json:"safetySettings,omitempty"`
}

// Content is one turn of a conversation: a role ([RoleUser] or
// [RoleModel]) and its parts.
type Content struct {
	Role  string `json:"role,omitempty"`
	Parts []Part `json:"parts"`
}

// Part is one piece of a [Content]: text or inline data. Thought marks the
// model's reasoning in answers (when thoughts are included).
type Part struct {
	Text       string `json:"text,omitempty"`
	InlineData *Blob  `json:"inlineData,omitempty"`
	Thought    bool   `json:"thought,omitempty"`
}

// Blob is inline media. Data holds the raw bytes; JSON carries them in
// base64.
type Blob struct {
	MIMEType string `json:"mimeType"`
	Data     []byte `json:"data"`
}

// GenerationConfig holds the sampling settings. Nil and zero fields are
// left out.
type GenerationConfig struct {
	Temperature     *float64        `json:"temperature,omitempty"`
	TopP            *float64        `json:"topP,omitempty"`
	TopK            *float64        `json:"topK,omitempty"`
	CandidateCount  int             `json:"candidateCount,omitempty"`
	MaxOutputTokens int             `json:"maxOutputTokens,omitempty"`
	StopSequences   []string        `json:"stopSequences,omitempty"`
	ThinkingConfig  *ThinkingConfig `json:"thinkingConfig,omitempty"`
}

// ThinkingConfig controls the reasoning of thinking models: a token budget
// (Gemini 2.5; -1 dynamic, 0 off) or a level (Gemini 3: "LOW", "MEDIUM",
// "HIGH").
type ThinkingConfig struct {
	IncludeThoughts bool   `json:"includeThoughts,omitempty"`
	ThinkingBudget  *int   `json:"thinkingBudget,omitempty"`
	ThinkingLevel   string `json:"thinkingLevel,omitempty"`
}

// SafetySetting sets the block threshold of one harm category, e.g.
// HARM_CATEGORY_HARASSMENT and BLOCK_ONLY_HIGH.
type SafetySetting struct {
	Category  string `json:"category"`
	Threshold string `json:"threshold"`
}

// GenerateContentResponse is the answer of generateContent, and each event
// of streamGenerateContent.
type GenerateContentResponse struct {
	Candidates     []Candidate     `json:"candidates"`
	PromptFeedback *PromptFeedback `json:"promptFeedback,omitempty"`
	UsageMetadata  *UsageMetadata  `json:"usageMetadata,omitempty"`
	ModelVersion   string          `json:"modelVersion,omitempty"`
	ResponseID     string          `json:"responseId,omitempty"`
}

// Candidate is one generated answer. FinishReason is set on its last chunk
// ("STOP", "MAX_TOKENS", "SAFETY", ...).
type Candidate struct {
	Content      *Content `json:"content,omitempty"`
	FinishReason string   `json:"finishReason,omitempty"`
	Index        int      `json:"index"`
}

// PromptFeedback says why a prompt was blocked, when it was.
type PromptFeedback struct {
	BlockReason string `json:"blockReason,omitempty"`
}

// UsageMetadata counts tokens. In a stream each event repeats the running
// totals.
type UsageMetadata struct {
	PromptTokenCount     int `json:"promptTokenCount"`
	CandidatesTokenCount int `json:"candidatesTokenCount"`
	ThoughtsTokenCount   int `json:"thoughtsTokenCount"`
	TotalTokenCount      int `json:"totalTokenCount"`
}

// Text joins the text parts of the first candidate, leaving thoughts out.
// It returns "" for a nil response.
func (r *GenerateContentResponse) Text() string {
	if r == nil || len(r.Candidates) == 0 || r.Candidates[0].Content == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range r.Candidates[0].Content.Parts {
		if !p.Thought {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// GenerateContent calls model's generateContent method and returns the
// whole answer.
func (c *Client) GenerateContent(ctx context.Context, model string, req *GenerateContentRequest) (*GenerateContentResponse, error) {
	var out GenerateContentResponse
	if err := c.call(ctx, model, "generateContent", req, &out); err != nil {
		return nil, fmt.Errorf("gemini: generateContent: %w", err)
	}
	return &out, nil
}

// StreamGenerateContent calls model's streamGenerateContent method
// (?alt=sse) and yields each event as it arrives. The request is sent when
// the sequence is first ranged over and aborted when ctx ends or the
// caller stops ranging. An error, including an error event in the stream,
// is yielded once and ends the sequence; when ctx ended it matches
// ctx.Err() under [errors.Is].
func (c *Client) StreamGenerateContent(ctx context.Context, model string, req *GenerateContentRequest) iter.Seq2[*GenerateContentResponse, error] {
	return func(yield func(*GenerateContentResponse, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		fail := func(err error) { yield(nil, fmt.Errorf("gemini: streamGenerateContent: %w", ctxErr(ctx, err))) }
		res, err := c.post(ctx, model, "streamGenerateContent", "alt=sse", req)
		if err != nil {
			fail(err)
			return
		}
		defer res.Body.Close()
		for data, err := range events(res.Body) {
			if err != nil {
				fail(fmt.Errorf("reading stream: %w", err))
				return
			}
			var ev struct {
				GenerateContentResponse
				errorBody
			}
			if err := json.Unmarshal(data, &ev); err != nil {
				fail(fmt.Errorf("decoding event: %w", err))
				return
			}
			if ev.Error != nil {
				fail(&Error{StatusCode: ev.Error.Code, Status: ev.Error.Status, Message: ev.Error.Message})
				return
			}
			if !yield(&ev.GenerateContentResponse, nil) {
				return
			}
		}
	}
}

// events yields the data of each server-sent event read from r: the
// "data:" lines of an event joined with newlines. Comments and other
// fields are skipped; a last event without a blank line after it counts.
// The yielded slice is reused once the caller asks for the next event.
func events(r io.Reader) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64<<10), maxEvent)
		var data []byte
		pending := false
		for sc.Scan() {
			line := sc.Bytes()
			if len(line) == 0 {
				if pending && !yield(data, nil) {
					return
				}
				data, pending = data[:0], false
				continue
			}
			field, value, _ := bytes.Cut(line, []byte(":"))
			if string(field) != "data" {
				continue
			}
			value = bytes.TrimPrefix(value, []byte(" "))
			if pending {
				data = append(data, '\n')
			}
			data, pending = append(data, value...), true
		}
		if err := sc.Err(); err != nil {
			yield(nil, err)
			return
		}
		if pending {
			yield(data, nil)
		}
	}
}
