package llmtest

import (
	"fmt"
	"net/http"
	"strings"
)

func (p *Provider) openAI(w http.ResponseWriter, r *http.Request, body map[string]any) {
	msgs, _ := body["messages"].([]any)
	answer := p.reply(lastUserText(msgs, "role", "user", func(m map[string]any) string { return contentText(m["content"]) }))
	model, _ := body["model"].(string)
	usage := map[string]any{"prompt_tokens": 10, "completion_tokens": tokens(answer), "total_tokens": 10 + tokens(answer)}
	if stream, _ := body["stream"].(bool); !stream {
		writeJSON(w, map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": model,
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": answer}, "finish_reason": "stop"}},
			"usage":   usage,
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	chunk := func(delta map[string]any, finish any) string {
		return "data: " + mustJSON(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}) + "\n\n"
	}
	fmt.Fprint(w, chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	if !p.streamChunks(w, r, words(answer), func(i int, c string) { fmt.Fprint(w, chunk(map[string]any{"content": c}, nil)) }) {
		return
	}
	fmt.Fprint(w, chunk(map[string]any{}, "stop"))
	if so, _ := body["stream_options"].(map[string]any); so["include_usage"] == true {
		fmt.Fprint(w, "data: "+mustJSON(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model, "choices": []any{}, "usage": usage})+"\n\n")
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func (p *Provider) anthropic(w http.ResponseWriter, r *http.Request, body map[string]any) {
	msgs, _ := body["messages"].([]any)
	answer := p.reply(lastUserText(msgs, "role", "user", func(m map[string]any) string { return contentText(m["content"]) }))
	model, _ := body["model"].(string)
	if stream, _ := body["stream"].(bool); !stream {
		writeJSON(w, map[string]any{
			"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
			"content":     []any{map[string]any{"type": "text", "text": answer}},
			"stop_reason": "end_turn", "stop_sequence": nil,
			"usage": map[string]any{"input_tokens": 10, "output_tokens": tokens(answer)},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	ev := func(name string, data any) { fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, mustJSON(data)) }
	ev("message_start", map[string]any{"type": "message_start", "message": map[string]any{"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
		"content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": map[string]any{"input_tokens": 10, "output_tokens": 1}}})
	ev("content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "text", "text": ""}})
	if !p.streamChunks(w, r, words(answer), func(i int, c string) {
		ev("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "text_delta", "text": c}})
	}) {
		return
	}
	ev("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
	ev("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil}, "usage": map[string]any{"output_tokens": tokens(answer)}})
	ev("message_stop", map[string]any{"type": "message_stop"})
}

func (p *Provider) gemini(w http.ResponseWriter, r *http.Request, body map[string]any) {
	contents, _ := body["contents"].([]any)
	answer := p.reply(lastUserText(contents, "role", "user", func(m map[string]any) string { return contentText(m["parts"]) }))
	resp := func(text string, final bool) map[string]any {
		c := map[string]any{"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": text}}}, "index": 0}
		out := map[string]any{"candidates": []any{c}, "modelVersion": "gemini-fake"}
		if final {
			c["finishReason"] = "STOP"
			out["usageMetadata"] = map[string]any{"promptTokenCount": 10, "candidatesTokenCount": tokens(answer), "totalTokenCount": 10 + tokens(answer)}
		}
		return out
	}
	if !strings.Contains(r.URL.Path, ":streamGenerateContent") {
		writeJSON(w, resp(answer, true))
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	ws := words(answer)
	p.streamChunks(w, r, ws, func(i int, c string) { fmt.Fprint(w, "data: "+mustJSON(resp(c, i == len(ws)-1))+"\r\n\r\n") })
}

func (p *Provider) ollama(w http.ResponseWriter, r *http.Request, body map[string]any) {
	msgs, _ := body["messages"].([]any)
	answer := p.reply(lastUserText(msgs, "role", "user", func(m map[string]any) string { return contentText(m["content"]) }))
	model, _ := body["model"].(string)
	final := map[string]any{"model": model, "created_at": "2026-11-24T00:00:00Z", "message": map[string]any{"role": "assistant", "content": ""},
		"done": true, "done_reason": "stop", "total_duration": 1000, "prompt_eval_count": 10, "eval_count": tokens(answer)}
	if stream, ok := body["stream"].(bool); ok && !stream {
		final["message"] = map[string]any{"role": "assistant", "content": answer}
		writeJSON(w, final)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	if !p.streamChunks(w, r, words(answer), func(i int, c string) {
		fmt.Fprintln(w, mustJSON(map[string]any{"model": model, "created_at": "2026-11-24T00:00:00Z", "message": map[string]any{"role": "assistant", "content": c}, "done": false}))
	}) {
		return
	}
	fmt.Fprintln(w, mustJSON(final))
}
