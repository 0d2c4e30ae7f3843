package llm

import (
	"fmt"
	"strings"
)

// Prompt is a prompt template node's output: Flowise's PromptTemplate
// (Human only) or ChatPromptTemplate (System and Human). Templates use
// LangChain's f-string syntax: {name} is a variable, {{ and }} are literal
// braces. Values holds the node's promptValues, already resolved by the
// engine; variables without a value are filled by the chain (the input
// variable gets the question).
type Prompt struct {
	System string
	Human  string
	Values map[string]string
	// Chat is true for chat prompt templates.
	Chat bool
}

// Variables lists the variables the prompt's templates use, in order of
// first use, each once.
func (p Prompt) Variables() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range []string{p.System, p.Human} {
		for _, v := range FStringVariables(t) {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// FStringVariables lists the {variables} of an f-string template in order.
func FStringVariables(tmpl string) []string {
	var out []string
	for i := 0; i < len(tmpl); i++ {
		switch tmpl[i] {
		case '{':
			if i+1 < len(tmpl) && tmpl[i+1] == '{' {
				i++
				continue
			}
			end := strings.IndexByte(tmpl[i+1:], '}')
			if end < 0 {
				return out
			}
			out = append(out, strings.TrimSpace(tmpl[i+1:i+1+end]))
			i += end + 1
		case '}':
			if i+1 < len(tmpl) && tmpl[i+1] == '}' {
				i++
			}
		}
	}
	return out
}

// FormatFString fills an f-string template. A variable with no value is an
// error naming it; {{ and }} become { and }.
func FormatFString(tmpl string, vals map[string]string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		switch {
		case c == '{' && i+1 < len(tmpl) && tmpl[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			end := strings.IndexByte(tmpl[i+1:], '}')
			if end < 0 {
				return "", fmt.Errorf("formatting prompt: unclosed { at offset %d", i)
			}
			name := strings.TrimSpace(tmpl[i+1 : i+1+end])
			v, ok := vals[name]
			if !ok {
				return "", fmt.Errorf("formatting prompt: missing value for variable %q", name)
			}
			b.WriteString(v)
			i += end + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
