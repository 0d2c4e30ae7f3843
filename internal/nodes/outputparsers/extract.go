package outputparsers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// maxCandidates bounds how many opening brackets decodeJSON tries.
const maxCandidates = 32

// errNoJSON reports an answer with no JSON object or array in it.
var errNoJSON = errors.New("no JSON object or array found in the answer")

// decodeJSON finds the JSON value in a model's answer and decodes it. It
// looks inside the first ``` fence when there is one, then tries each { or
// [ in turn (so prose before and after the value is ignored), decoding the
// balanced span that starts there, repaired when it does not decode as is.
// It returns the first error when no candidate decodes.
func decodeJSON(text string) (any, error) {
	s := unfence(text)
	var firstErr error
	tried := 0
	for i := 0; i < len(s) && tried < maxCandidates; i++ {
		if s[i] != '{' && s[i] != '[' {
			continue
		}
		tried++
		span := balancedSpan(s[i:])
		v, err := decodeLenient(span)
		if err == nil {
			return v, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		return nil, errNoJSON
	}
	return nil, firstErr
}

// decodeLenient decodes s, or its repaired form when s is not valid JSON.
func decodeLenient(s string) (any, error) {
	var v any
	err := json.Unmarshal([]byte(s), &v)
	if err == nil {
		return v, nil
	}
	if rerr := json.Unmarshal([]byte(repairJSON(s)), &v); rerr == nil {
		return v, nil
	}
	return nil, fmt.Errorf("decoding JSON: %w", err)
}

// unfence returns the content of the first ``` fence in text (dropping a
// language tag such as json after the opening fence; a missing closing
// fence ends the block at the end of text), or text itself, trimmed.
func unfence(text string) string {
	t := strings.TrimSpace(text)
	i := strings.Index(t, "```")
	if i < 0 {
		return t
	}
	rest := t[i+3:]
	tag := 0
	for tag < len(rest) && isTagByte(rest[tag]) {
		tag++
	}
	if tag == len(rest) || strings.ContainsRune(" \t\r\n{[", rune(rest[tag])) {
		rest = rest[tag:]
	}
	if j := strings.Index(rest, "```"); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(rest)
}

func isTagByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// balancedSpan returns the prefix of s (which starts with { or [) up to the
// bracket that closes the first one, skipping brackets inside strings, or
// all of s when it is never closed.
func balancedSpan(s string) string {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' && startsValue(s[:i]):
			quote = c
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return s[:i+1]
			}
		}
	}
	return s
}

// startsValue reports whether the text before a quote ends where a JSON
// string may start (after {, [, , or :), so that an apostrophe inside
// prose-like content is not taken for a quote.
func startsValue(before string) bool {
	t := strings.TrimRight(before, " \t\r\n")
	return t == "" || strings.ContainsRune("{[,:", rune(t[len(t)-1]))
}

// repairJSON fixes common slips in model-written JSON: single-quoted
// strings that start where a value or key may start, unquoted keys,
// Python's True/False/None, // and /* */ comments, trailing commas, raw
// control characters inside strings, an unterminated string and missing
// closing brackets. Valid JSON comes back unchanged.
func repairJSON(s string) string {
	var b strings.Builder
	var stack []byte // open brackets
	prev := byte(0)  // last significant byte written outside strings
	write := func(str string, last byte) {
		b.WriteString(str)
		prev = last
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\'' && (prev == 0 || strings.IndexByte("{[,:", prev) >= 0):
			str, n := readString(s[i:], c)
			write(str, '"')
			i += n
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 4
			}
		case c == ',':
			j := i + 1
			for j < len(s) && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
				j++
			}
			if j == len(s) || s[j] == '}' || s[j] == ']' {
				i++ // trailing comma
				continue
			}
			write(",", ',')
			i++
		case c == '{' || c == '[':
			stack = append(stack, c)
			write(string(c), c)
			i++
		case c == '}' || c == ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			write(string(c), c)
			i++
		case isIdentStart(c):
			j := i
			for j < len(s) && (isIdentStart(s[j]) || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			word := s[i:j]
			k := j
			for k < len(s) && strings.IndexByte(" \t\r\n", s[k]) >= 0 {
				k++
			}
			switch {
			case k < len(s) && s[k] == ':' && (prev == '{' || prev == ','):
				write(`"`+word+`"`, '"')
			case word == "True":
				write("true", 'e')
			case word == "False":
				write("false", 'e')
			case word == "None":
				write("null", 'l')
			default:
				write(word, word[len(word)-1])
			}
			i = j
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			b.WriteByte(c)
			i++
		default:
			write(string(c), c)
			i++
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		if stack[k] == '{' {
			b.WriteByte('}')
		} else {
			b.WriteByte(']')
		}
	}
	return b.String()
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

// readString reads the string starting at s[0] (quoted by q) and returns
// it as a valid double-quoted JSON string and the number of bytes read. An
// unterminated string runs to the end of s.
func readString(s string, q byte) (string, int) {
	var b strings.Builder
	b.WriteByte('"')
	i := 1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			b.WriteByte('"')
			return b.String(), i + 1
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] == '\'' {
				b.WriteByte('\'') // \' is not a JSON escape
			} else {
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
		case c == '"':
			b.WriteString(`\"`) // only reachable in single-quoted strings
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String(), i
}
