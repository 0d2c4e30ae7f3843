package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/llm"
)

// scope is what {{...}} references resolve against during one run.
type scope struct {
	question  string
	instances map[string]any // node id → built instance
	vars      map[string]string
	flowVars  map[string]any // $flow.<key>
	// chatHistory returns the conversation as "Human: ...\nAssistant: ..."
	// text, computed on first use.
	chatHistory func(ctx context.Context) (string, error)
	// fileAttachment is the text of full-file uploads ({{file_attachment}}).
	fileAttachment string
}

// resolveInput resolves one input value. acceptVariable is the param's
// flag: only such params get {{question}}, {{chat_history}} and embedded
// node outputs; $vars and $flow resolve everywhere, and a value that is
// exactly {{node.data.instance}} becomes the instance itself.
func (s *scope) resolveInput(ctx context.Context, v any, acceptVariable bool) (any, error) {
	switch t := v.(type) {
	case string:
		if id, ok := wholeInstanceRef(t); ok && !acceptVariable {
			inst, found := s.instances[id]
			if !found {
				return nil, fmt.Errorf("reference %s: node %s is not built (is it connected?)", t, id)
			}
			return inst, nil
		}
		if acceptVariable && looksLikeJSONObject(t) {
			var obj map[string]any
			if json.Unmarshal([]byte(t), &obj) == nil {
				out, err := s.resolveInput(ctx, obj, true)
				if err != nil {
					return nil, err
				}
				return out, nil
			}
		}
		return s.substitute(ctx, t, acceptVariable)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			r, err := s.resolveInput(ctx, x, false)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			var r any
			var err error
			if str, ok := x.(string); ok {
				r, err = s.substitute(ctx, str, acceptVariable)
			} else {
				r, err = s.resolveInput(ctx, x, acceptVariable)
			}
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	default:
		return v, nil
	}
}

func looksLikeJSONObject(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && strings.Contains(s, "\"")
}

// wholeInstanceRef reports whether s is exactly "{{<id>.data.instance}}".
func wholeInstanceRef(s string) (string, bool) {
	inner, ok := strings.CutPrefix(s, "{{")
	if !ok {
		return "", false
	}
	inner, ok = strings.CutSuffix(inner, "}}")
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(inner, ".data.instance")
	if !ok || id == "" || strings.ContainsAny(id, "{} ") {
		return "", false
	}
	return id, true
}

// substitute replaces every {{...}} reference in s. Unknown references are
// left as written, as Flowise does.
func (s *scope) substitute(ctx context.Context, text string, acceptVariable bool) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	var b strings.Builder
	rest := text
	for {
		start := strings.Index(rest, "{{")
		if start < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.Index(rest[start+2:], "}}")
		if end < 0 {
			b.WriteString(rest)
			break
		}
		ref := rest[start+2 : start+2+end]
		b.WriteString(rest[:start])
		val, ok, err := s.lookup(ctx, ref, acceptVariable)
		if err != nil {
			return "", err
		}
		if ok {
			b.WriteString(val)
		} else {
			b.WriteString("{{" + ref + "}}")
		}
		rest = rest[start+2+end+2:]
	}
	return b.String(), nil
}

// lookup resolves the text of one reference (without braces).
func (s *scope) lookup(ctx context.Context, ref string, acceptVariable bool) (string, bool, error) {
	switch {
	case strings.HasPrefix(ref, "$vars."):
		v, ok := s.vars[strings.TrimPrefix(ref, "$vars.")]
		return v, ok, nil
	case strings.HasPrefix(ref, "$flow."):
		v, ok := s.flowVars[strings.TrimPrefix(ref, "$flow.")]
		if !ok {
			return "", false, nil
		}
		return textOf(v), true, nil
	case !acceptVariable:
		return "", false, nil
	case ref == "question":
		return s.question, true, nil
	case ref == "file_attachment":
		return s.fileAttachment, true, nil
	case ref == "chat_history":
		if s.chatHistory == nil {
			return "", true, nil
		}
		h, err := s.chatHistory(ctx)
		return h, err == nil, err
	}
	id, path, found := strings.Cut(ref, ".data.instance")
	if !found {
		return "", false, nil
	}
	inst, ok := s.instances[id]
	if !ok {
		return "", false, nil
	}
	if path = strings.TrimPrefix(path, "."); path != "" {
		return textOf(jsonPath(inst, path)), true, nil
	}
	return textOf(inst), true, nil
}

// jsonPath reads a dotted path inside an instance that is JSON (or a JSON
// string), as lodash get does.
func jsonPath(v any, path string) any {
	if s, ok := v.(string); ok {
		var parsed any
		if json.Unmarshal([]byte(s), &parsed) != nil {
			return nil
		}
		v = parsed
	}
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// textOf renders a value for insertion into text: strings as they are,
// everything else as JSON.
func textOf(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case fmt.Stringer:
		return t.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// historyText renders messages as Flowise's convertChatHistoryToText.
func historyText(msgs []llm.Message) string {
	var lines []string
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleUser:
			lines = append(lines, "Human: "+m.Content)
		case llm.RoleAssistant:
			lines = append(lines, "Assistant: "+m.Content)
		}
	}
	return strings.Join(lines, "\n")
}
