package prompts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/floehq/floe/internal/node"
)

// inPromptValues is the json input both prompt nodes share.
const inPromptValues = "promptValues"

// promptValues reads the promptValues input into the string map of
// [llm.Prompt.Values]. The engine has already resolved {{...}} references,
// so the value is either a string holding a JSON object or a decoded map.
// String values are kept as they are, null becomes "", and any other value
// (number, boolean, object, array) is stored as its compact JSON text,
// numbers exactly as written. An absent input gives an empty map.
func promptValues(data *node.Data) (map[string]string, error) {
	var raw map[string]json.RawMessage
	if err := data.JSON(inPromptValues, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = s
			continue
		}
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			return nil, fmt.Errorf("input %q: value %q: %w", inPromptValues, k, err)
		}
		out[k] = b.String()
	}
	return out, nil
}

// singleBraces matches a {...} group that is neither part of {{ nor of }}
// and holds no braces itself.
var singleBraces = regexp.MustCompile(`\{[^{}]*\}`)

// escapeColonGroups turns every single-brace group that contains a colon,
// such as {"answer": "..."} in a template describing JSON, into a literal by
// doubling its braces, as Flowise's transformBracesWithColon does: such a
// group cannot be a variable name, so it is text.
func escapeColonGroups(tmpl string) string {
	var b strings.Builder
	last := 0
	for _, m := range singleBraces.FindAllStringIndex(tmpl, -1) {
		start, end := m[0], m[1]
		if (start > 0 && tmpl[start-1] == '{') || (end < len(tmpl) && tmpl[end] == '}') {
			continue // part of a {{...}} literal
		}
		if !strings.Contains(tmpl[start+1:end-1], ":") {
			continue
		}
		b.WriteString(tmpl[last:start])
		b.WriteString("{")
		b.WriteString(tmpl[start:end])
		b.WriteString("}")
		last = end
	}
	b.WriteString(tmpl[last:])
	return b.String()
}
