package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Sentinel errors carried by [InputError]; test them with errors.Is.
var (
	// ErrInvalidInput reports an input value that cannot be read as the
	// requested type.
	ErrInvalidInput = errors.New("node: invalid input")
	// ErrMissingInput reports a required anchor input with nothing
	// connected.
	ErrMissingInput = errors.New("node: missing input")
)

// Data is one node's saved configuration: the part of Flowise's INodeData
// that Init needs. The engine builds it from flowData with references such as
// {{chatOpenAI_0.data.instance}} already replaced by the upstream instances;
// tests may unmarshal it from a JSON snippet.
//
// Read inputs through the typed getters, never by indexing Inputs and
// asserting. An input is absent when its key is missing, nil, or a string
// that is empty after trimming spaces (the UI saves untouched fields as "").
type Data struct {
	// ID is the node id, e.g. "chatOpenAI_0".
	ID string `json:"id"`
	// Name is the component key, e.g. "chatOpenAI".
	Name string `json:"name"`
	// Label is the display label, which Agentflow V2 users may rename.
	Label string `json:"label,omitempty"`
	// Inputs maps param names to values.
	Inputs map[string]any `json:"inputs,omitempty"`
	// Outputs holds the chosen output, as Outputs["output"], for nodes
	// with several.
	Outputs map[string]any `json:"outputs,omitempty"`
	// Credential is the id of the selected credential, or "".
	Credential string `json:"credential,omitempty"`
}

// InputError reports a problem reading one input. Its Kind is
// [ErrInvalidInput] or [ErrMissingInput], which errors.Is matches.
type InputError struct {
	// Input is the param name.
	Input string
	// Node is the node id, when known.
	Node string
	// Kind is the sentinel describing the class of problem.
	Kind error
	// Reason says what is wrong, e.g. `parsing "abc" as number`.
	Reason string
}

// Error returns e.g. `input "temperature": parsing "abc" as number`.
func (e *InputError) Error() string {
	if e.Node != "" {
		return fmt.Sprintf("input %q of node %q: %s", e.Input, e.Node, e.Reason)
	}
	return fmt.Sprintf("input %q: %s", e.Input, e.Reason)
}

// Is reports whether target is e's Kind.
func (e *InputError) Is(target error) bool { return target == e.Kind }

func invalid(name, format string, args ...any) error {
	return &InputError{Input: name, Kind: ErrInvalidInput, Reason: fmt.Sprintf(format, args...)}
}

// value returns the input's value, or ok=false when it is absent.
func (d *Data) value(name string) (v any, ok bool) {
	if d == nil {
		return nil, false
	}
	v, ok = d.Inputs[name]
	if !ok || v == nil {
		return nil, false
	}
	if s, isString := v.(string); isString && strings.TrimSpace(s) == "" {
		return nil, false
	}
	return v, true
}

// Has reports whether the input is present: set, non-nil and not a blank
// string.
func (d *Data) Has(name string) bool {
	_, ok := d.value(name)
	return ok
}

// Raw returns the input's value as stored, and whether it is present. Prefer
// the typed getters; Raw is for inputs whose shape varies.
func (d *Data) Raw(name string) (any, bool) { return d.value(name) }

// String returns the input as a string, or fallback when it is absent.
// Numbers and booleans are formatted; objects and arrays are an error.
// Strings are returned as saved, without trimming.
func (d *Data) String(name, fallback string) (string, error) {
	v, ok := d.value(name)
	if !ok {
		return fallback, nil
	}
	switch s := v.(type) {
	case string:
		return s, nil
	case json.Number:
		return s.String(), nil
	}
	if f, isNum := asNumber(v); isNum {
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	if b, isBool := v.(bool); isBool {
		return strconv.FormatBool(b), nil
	}
	return "", invalid(name, "got %s, want string", jsonKind(v))
}

// Float returns the input as a number, or fallback when it is absent. It
// accepts numbers and strings holding one ("0.9" is 0.9).
func (d *Data) Float(name string, fallback float64) (float64, error) {
	v, ok := d.value(name)
	if !ok {
		return fallback, nil
	}
	if f, isNum := asNumber(v); isNum {
		return f, nil
	}
	if s, isString := v.(string); isString {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, invalid(name, "parsing %q as number", s)
		}
		return f, nil
	}
	return 0, invalid(name, "got %s, want number", jsonKind(v))
}

// Int returns the input as an integer, or fallback when it is absent. It
// accepts whole numbers and strings holding one ("4" and "4.0" are 4; "4.5"
// is an error).
func (d *Data) Int(name string, fallback int) (int, error) {
	v, ok := d.value(name)
	if !ok {
		return fallback, nil
	}
	const maxExact = 1 << 53 // beyond this a float64 no longer holds every integer
	s, isString := v.(string)
	f, isNum := asNumber(v)
	switch {
	case isString:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil || f != math.Trunc(f) {
			return 0, invalid(name, "parsing %q as integer", s)
		}
	case !isNum:
		return 0, invalid(name, "got %s, want integer", jsonKind(v))
	case f != math.Trunc(f):
		return 0, invalid(name, "parsing %v as integer", v)
	}
	if f > maxExact || f < -maxExact {
		return 0, invalid(name, "integer %v out of range", v)
	}
	return int(f), nil
}

// Bool returns the input as a boolean, or fallback when it is absent. It
// accepts booleans and the strings "true" and "false" (any case).
func (d *Data) Bool(name string, fallback bool) (bool, error) {
	v, ok := d.value(name)
	if !ok {
		return fallback, nil
	}
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return false, invalid(name, "parsing %q as boolean", b)
	}
	return false, invalid(name, "got %s, want boolean", jsonKind(v))
}

// JSON decodes the input into dst, which must be a non-nil pointer. The
// value may be a string holding JSON (as json and code fields are saved) or
// an already decoded object or array. When the input is absent, dst is left
// unchanged and JSON returns nil.
func (d *Data) JSON(name string, dst any) error {
	v, ok := d.value(name)
	if !ok {
		return nil
	}
	var raw []byte
	if s, isString := v.(string); isString {
		raw = []byte(s)
	} else {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return invalid(name, "encoding %s as JSON: %v", jsonKind(v), err)
		}
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return invalid(name, "parsing as JSON: %v", err)
	}
	return nil
}

// StringSlice returns the input as a list of strings, or nil when it is
// absent. It accepts a list of strings, a string holding a JSON array (as
// multiOptions are saved, e.g. `["a","b"]`) or a single plain string, which
// becomes a one-element list.
func (d *Data) StringSlice(name string) ([]string, error) {
	v, ok := d.value(name)
	if !ok {
		return nil, nil
	}
	switch s := v.(type) {
	case string:
		t := strings.TrimSpace(s)
		if !strings.HasPrefix(t, "[") {
			return []string{s}, nil
		}
		var out []string
		if err := json.Unmarshal([]byte(t), &out); err != nil {
			return nil, invalid(name, "parsing %q as a list of strings", s)
		}
		return out, nil
	case []string:
		return append([]string(nil), s...), nil
	case []any:
		out := make([]string, 0, len(s))
		for i, e := range s {
			es, isString := e.(string)
			if !isString {
				return nil, invalid(name, "item %d: got %s, want string", i, jsonKind(e))
			}
			out = append(out, es)
		}
		return out, nil
	}
	return nil, invalid(name, "got %s, want list of strings", jsonKind(v))
}

// asNumber returns v as a float64 when it is a Go or JSON number.
func asNumber(v any) (float64, bool) {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		return f, err == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), true
	}
	return 0, false
}

// jsonKind names v's JSON kind for error messages.
func jsonKind(v any) string {
	if _, ok := asNumber(v); ok {
		return "number"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
