package memory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/floehq/floe/internal/llm"
)

// summaryPrompt asks a model to fold new conversation lines into a running
// summary, as LangChain's progressive summarisation prompt does. The two
// %s verbs are the current summary and the new lines.
const summaryPrompt = `You keep a running summary of a conversation between a human and an AI. Merge the new lines of the conversation into the current summary and reply with the updated summary only: plain prose, third person, keeping every fact, name and decision needed to carry on the conversation.

Example
Current summary:
The human asks the AI for a good name for a bakery. The AI suggests "Rise & Shine".

New lines of conversation:
Human: Something shorter, please.
AI: How about "Crumb"?

Updated summary:
The human asks the AI for a good name for a bakery. The AI suggests "Rise & Shine" and, asked for something shorter, "Crumb".
End of example

Current summary:
%s

New lines of conversation:
%s

Updated summary:`

// summarize asks model to extend summary (possibly empty) with msgs.
func summarize(ctx context.Context, model llm.ChatModel, summary string, msgs []llm.Message) (string, error) {
	prompt := fmt.Sprintf(summaryPrompt, summary, bufferString(msgs))
	text, _, err := llm.Collect(model.Stream(ctx, llm.ChatRequest{
		Messages: []llm.Message{{Role: llm.RoleUser, Content: prompt}},
	}))
	if err != nil {
		return "", fmt.Errorf("summarizing conversation: %w", err)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", errors.New("summarizing conversation: model returned an empty summary")
	}
	return text, nil
}

// bufferString renders messages as LangChain's getBufferString does: one
// "Prefix: content" line per message.
func bufferString(msgs []llm.Message) string {
	lines := make([]string, len(msgs))
	for i, m := range msgs {
		lines[i] = rolePrefix(m.Role) + ": " + m.Content
	}
	return strings.Join(lines, "\n")
}

// rolePrefix is the speaker label of a buffer line.
func rolePrefix(r llm.Role) string {
	switch r {
	case llm.RoleUser:
		return "Human"
	case llm.RoleAssistant:
		return "AI"
	case llm.RoleSystem:
		return "System"
	case llm.RoleTool:
		return "Tool"
	}
	return string(r)
}

// textLength is the length of s as JavaScript counts it (UTF-16 code
// units), which LangChain's token estimate divides.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// approxTokens estimates the tokens of a text as LangChain does when it has
// no tokenizer for the model: one token per four UTF-16 code units, rounded
// up.
func approxTokens(length int) int {
	return (length + 3) / 4
}

// maxCachedSessions bounds a summaryCache; past it an arbitrary entry is
// dropped.
const maxCachedSessions = 1024

// summaryCache remembers, per session, the summary of the session's first
// covered messages, so that a memory summarises only what is new.
type summaryCache struct {
	mu      sync.Mutex // guards entries
	entries map[string]summaryEntry
}

// summaryEntry is the summary of a session's first covered messages.
type summaryEntry struct {
	covered int
	summary string
}

func (c *summaryCache) get(sessionID string) summaryEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[sessionID]
}

func (c *summaryCache) put(sessionID string, e summaryEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]summaryEntry)
	}
	if _, ok := c.entries[sessionID]; !ok && len(c.entries) >= maxCachedSessions {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[sessionID] = e
}

// summaryOf returns the summary of msgs[:n] for the session, reusing the
// cache: unchanged history costs no model call, and history that grew only
// has its new messages folded into the cached summary. History that shrank
// (rows were deleted) is summarised again from scratch.
func (c *summaryCache) summaryOf(ctx context.Context, model llm.ChatModel, sessionID string, msgs []llm.Message, n int) (string, error) {
	e := c.get(sessionID)
	var (
		summary string
		err     error
	)
	switch {
	case e.covered == n:
		return e.summary, nil
	case e.covered > 0 && e.covered < n:
		summary, err = summarize(ctx, model, e.summary, msgs[e.covered:n])
	default:
		summary, err = summarize(ctx, model, "", msgs[:n])
	}
	if err != nil {
		return "", err
	}
	c.put(sessionID, summaryEntry{covered: n, summary: summary})
	return summary, nil
}
