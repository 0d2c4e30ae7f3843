package outputparsers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// kind is the JSON type a [schema] node describes.
type kind int

const (
	kindString kind = iota
	kindNumber
	kindBoolean
	kindDate // a string holding an RFC 3339 date-time or a date
	kindEnum // a string from a fixed list
	kindObject
	kindArray
)

// schema describes the JSON value an output parser expects: the subset of
// Zod the parsers support. It renders itself as a JSON Schema for the
// format instructions and validates decoded answers.
type schema struct {
	kind        kind
	description string
	props       []property // kindObject, in declaration order
	items       *schema    // kindArray
	enum        []string   // kindEnum
	integer     bool       // kindNumber: whole numbers only
	// min and max bound a string's length, an array's size or a number.
	min, max   *float64
	optional   bool // may be absent (as a property); null counts as absent
	nullable   bool // may be null
	hasDefault bool // absent means def
	def        any
}

// property is one named field of an object schema.
type property struct {
	name   string
	schema *schema
}

// jsonSchema renders s as a compact JSON Schema (draft 07), keeping the
// declaration order of properties.
func (s *schema) jsonSchema() string {
	var b bytes.Buffer
	s.writeJSON(&b, true)
	return b.String()
}

func (s *schema) writeJSON(b *bytes.Buffer, root bool) {
	b.WriteByte('{')
	first := true
	field := func(name string, value any) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONValue(b, name)
		b.WriteByte(':')
		if raw, ok := value.(json.RawMessage); ok {
			b.Write(raw)
			return
		}
		writeJSONValue(b, value)
	}
	var typ string
	switch s.kind {
	case kindString, kindEnum, kindDate:
		typ = "string"
	case kindNumber:
		typ = "number"
		if s.integer {
			typ = "integer"
		}
	case kindBoolean:
		typ = "boolean"
	case kindObject:
		typ = "object"
	case kindArray:
		typ = "array"
	}
	if s.nullable {
		field("type", []string{typ, "null"})
	} else {
		field("type", typ)
	}
	if s.kind == kindDate {
		field("format", "date-time")
	}
	if s.kind == kindEnum {
		field("enum", s.enum)
	}
	if s.description != "" {
		field("description", s.description)
	}
	if s.hasDefault {
		field("default", s.def)
	}
	bound := map[kind][2]string{
		kindString: {"minLength", "maxLength"},
		kindArray:  {"minItems", "maxItems"},
		kindNumber: {"minimum", "maximum"},
	}[s.kind]
	if s.min != nil && bound[0] != "" {
		field(bound[0], *s.min)
	}
	if s.max != nil && bound[1] != "" {
		field(bound[1], *s.max)
	}
	switch s.kind {
	case kindObject:
		var props bytes.Buffer
		props.WriteByte('{')
		required := []string{}
		for i, p := range s.props {
			if i > 0 {
				props.WriteByte(',')
			}
			writeJSONValue(&props, p.name)
			props.WriteByte(':')
			p.schema.writeJSON(&props, false)
			if !p.schema.optional && !p.schema.hasDefault {
				required = append(required, p.name)
			}
		}
		props.WriteByte('}')
		field("properties", json.RawMessage(props.Bytes()))
		field("required", required)
		field("additionalProperties", false)
	case kindArray:
		var items bytes.Buffer
		s.items.writeJSON(&items, false)
		field("items", json.RawMessage(items.Bytes()))
	}
	if root {
		field("$schema", "http://json-schema.org/draft-07/schema#")
	}
	b.WriteByte('}')
}

// writeJSONValue writes v as JSON without HTML escaping.
func writeJSONValue(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		b.WriteString("null") // unreachable: values are strings, finite numbers, bools and decoded JSON
		return
	}
	b.Truncate(b.Len() - 1) // Encode's newline
}

// formatInstructions tells the model to answer with JSON matching s.
func formatInstructions(s *schema) string {
	return `Answer with a JSON value that conforms to the JSON Schema given below.

A JSON Schema describes the shape of a JSON document. For example, the schema {"type":"object","properties":{"tags":{"type":"array","description":"a few keywords","items":{"type":"string"}}},"required":["tags"]} describes an object with one required property, "tags", whose value is an array of strings. The object {"tags":["red","blue"]} conforms to it; {"properties":{"tags":["red","blue"]}} does not.

Your answer is parsed and checked against the schema, so every field must match it exactly, and there must be no trailing commas or comments.

Here is the schema your answer must conform to. Put your answer in a markdown code block that starts with ` + "```json" + `:
` + "```json\n" + s.jsonSchema() + "\n```"
}

// parseWith decodes the JSON in a model's answer and validates it against
// s, returning the cleaned value.
func parseWith(s *schema, text string) (any, error) {
	v, err := decodeJSON(text)
	if err != nil {
		return nil, fmt.Errorf("parsing output: %w", err)
	}
	var issues []string
	out := s.validate(v, "", &issues)
	if len(issues) > 0 {
		return nil, fmt.Errorf("parsing output: answer does not match the schema: %s", strings.Join(issues, "; "))
	}
	return out, nil
}

// validate checks v against s and returns it with unknown object keys
// dropped and defaults filled in (as Zod's parse does), appending one
// message per problem to issues. path locates v, e.g. "items[2].title".
func (s *schema) validate(v any, path string, issues *[]string) any {
	where := path
	if where == "" {
		where = "(root)"
	}
	fail := func(format string, args ...any) any {
		*issues = append(*issues, where+": "+fmt.Sprintf(format, args...))
		return nil
	}
	if v == nil {
		if s.nullable {
			return nil
		}
		return fail("got null, want %s", s.kindName())
	}
	switch s.kind {
	case kindString, kindEnum, kindDate:
		str, ok := v.(string)
		if !ok {
			return fail("got %s, want %s", jsonKind(v), s.kindName())
		}
		switch s.kind {
		case kindEnum:
			if !slices.Contains(s.enum, str) {
				return fail("got %q, want one of %s", str, quoteAll(s.enum))
			}
		case kindDate:
			if !isDate(str) {
				return fail("got %q, want an RFC 3339 date or date-time", str)
			}
		}
		s.checkBounds(float64(utf8.RuneCountInString(str)), "length", fail)
		return str
	case kindNumber:
		f, ok := v.(float64)
		if !ok {
			return fail("got %s, want number", jsonKind(v))
		}
		if s.integer && f != math.Trunc(f) {
			return fail("got %v, want an integer", f)
		}
		s.checkBounds(f, "value", fail)
		return f
	case kindBoolean:
		if _, ok := v.(bool); !ok {
			return fail("got %s, want boolean", jsonKind(v))
		}
		return v
	case kindArray:
		list, ok := v.([]any)
		if !ok {
			return fail("got %s, want array", jsonKind(v))
		}
		s.checkBounds(float64(len(list)), "number of items", fail)
		out := make([]any, len(list))
		for i, item := range list {
			out[i] = s.items.validate(item, path+"["+strconv.Itoa(i)+"]", issues)
		}
		return out
	case kindObject:
		m, ok := v.(map[string]any)
		if !ok {
			return fail("got %s, want object", jsonKind(v))
		}
		out := make(map[string]any, len(s.props))
		for _, p := range s.props {
			sub := p.name
			if path != "" {
				sub = path + "." + p.name
			}
			val, present := m[p.name]
			if present && val == nil && p.schema.optional && !p.schema.nullable {
				present = false
			}
			switch {
			case present:
				out[p.name] = p.schema.validate(val, sub, issues)
			case p.schema.hasDefault:
				out[p.name] = p.schema.def
			case !p.schema.optional:
				*issues = append(*issues, sub+": missing required property")
			}
		}
		return out
	}
	return fail("unsupported schema")
}

// checkBounds reports n outside [min, max]; what names the measured thing.
func (s *schema) checkBounds(n float64, what string, fail func(string, ...any) any) {
	if s.min != nil && n < *s.min {
		fail("%s %v is below the minimum %v", what, n, *s.min)
	}
	if s.max != nil && n > *s.max {
		fail("%s %v is above the maximum %v", what, n, *s.max)
	}
}

func (s *schema) kindName() string {
	switch s.kind {
	case kindString:
		return "string"
	case kindNumber:
		if s.integer {
			return "integer"
		}
		return "number"
	case kindBoolean:
		return "boolean"
	case kindDate:
		return "date string"
	case kindEnum:
		return "one of " + quoteAll(s.enum)
	case kindObject:
		return "object"
	case kindArray:
		return "array"
	}
	return "value"
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func isDate(s string) bool {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly, "2006-01-02T15:04:05"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
