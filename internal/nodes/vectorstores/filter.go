package vectorstores

import (
	"encoding/json"
	"reflect"

	"github.com/floehq/floe/internal/llm"
)

// matches reports whether metadata satisfies f: every key of f is present
// with a value equal to f's as JSON values (1 equals 1.0, ["a"] equals
// []string{"a"}). An empty f matches everything.
//
// The key flowise_chatId (chatIDKey) is File Upload's chat scope, as in
// Flowise's Postgres node: it matches documents tagged with that chat id
// and documents with no flowise_chatId at all (shared documents).
func matches(metadata map[string]any, f llm.Filter) bool {
	for k, want := range f {
		if !matchesKey(metadata, k, want) {
			return false
		}
	}
	return true
}

// matchesKey reports whether metadata satisfies f's key k with value want
// (see [matches]).
func matchesKey(metadata map[string]any, k string, want any) bool {
	got, ok := metadata[k]
	if !ok {
		return k == chatIDKey
	}
	return jsonEqual(got, want)
}

// filterTerm is one key of a filter.
type filterTerm struct {
	key  string
	want any
}

// filterTerms is a filter prepared for matching many documents: its
// matches reports what [matches] does, without iterating over a map per
// document, which took about a third of a chat-scoped search of 100,000
// rows (BenchmarkEmbeddedSearchChatScoped).
type filterTerms []filterTerm

func newFilterTerms(f llm.Filter) filterTerms {
	out := make(filterTerms, 0, len(f))
	for k, want := range f {
		out = append(out, filterTerm{k, want})
	}
	return out
}

func (ts filterTerms) matches(metadata map[string]any) bool {
	for _, t := range ts {
		if !matchesKey(metadata, t.key, t.want) {
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
