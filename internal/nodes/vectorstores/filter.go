package vectorstores

import (
	"encoding/json"
	"reflect"

	"github.com/floehq/floe/internal/llm"
)

// matches reports whether metadata satisfies f: every key of f is present
// with a value equal to f's as JSON values (1 equals 1.0, ["a"] equals
// []string{"a"}). An empty f matches everything.
func matches(metadata map[string]any, f llm.Filter) bool {
	for k, want := range f {
		got, ok := metadata[k]
		if !ok || !jsonEqual(got, want) {
			return false
		}
	}
	return true
}

// jsonEqual reports whether a and b encode to equal JSON values.
func jsonEqual(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return reflect.DeepEqual(generic(a), generic(b))
}

// number returns v as a float64 when it is a Go or JSON number.
func number(v any) (float64, bool) {
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
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	return 0, false
}

// generic returns v as decoded JSON (maps, slices, float64, ...).
func generic(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return v
	}
	return out
}
