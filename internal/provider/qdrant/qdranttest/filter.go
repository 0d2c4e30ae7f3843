package qdranttest

import (
	"slices"
	"strings"
)

// matchFilter evaluates a Qdrant filter (must, should, must_not,
// min_should) against a point.
func matchFilter(f map[string]any, p point) bool {
	if must, ok := f["must"]; ok {
		for _, c := range conditions(must) {
			if !matchCondition(c, p) {
				return false
			}
		}
	}
	if mustNot, ok := f["must_not"]; ok {
		for _, c := range conditions(mustNot) {
			if matchCondition(c, p) {
				return false
			}
		}
	}
	if should, ok := f["should"]; ok {
		if cs := conditions(should); len(cs) > 0 && !slices.ContainsFunc(cs, func(c map[string]any) bool { return matchCondition(c, p) }) {
			return false
		}
	}
	if ms, ok := f["min_should"].(map[string]any); ok {
		need, _ := ms["min_count"].(float64)
		n := 0
		for _, c := range conditions(ms["conditions"]) {
			if matchCondition(c, p) {
				n++
			}
		}
		if float64(n) < need {
			return false
		}
	}
	return true
}

// conditions accepts one condition or a list of them.
func conditions(v any) []map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return []map[string]any{x}
	case []any:
		var out []map[string]any
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func matchCondition(c map[string]any, p point) bool {
	if e, ok := c["is_empty"].(map[string]any); ok {
		vals, _ := e["key"].(string)
		got := values(p.payload, vals)
		return len(got) == 0 || len(got) == 1 && got[0] == nil
	}
	if e, ok := c["is_null"].(map[string]any); ok {
		key, _ := e["key"].(string)
		got := values(p.payload, key)
		return len(got) == 1 && got[0] == nil
	}
	if ids, ok := c["has_id"].([]any); ok {
		for _, id := range ids {
			if s, _ := id.(string); strings.EqualFold(s, toString(p.id)) {
				return true
			}
		}
		return false
	}
	key, isField := c["key"].(string)
	if !isField {
		return matchFilter(c, p) // a nested filter
	}
	vals := values(p.payload, key)
	if m, ok := c["match"].(map[string]any); ok {
		switch {
		case m["value"] != nil:
			return slices.ContainsFunc(vals, func(v any) bool { return v == m["value"] })
		case m["any"] != nil:
			list, _ := m["any"].([]any)
			return slices.ContainsFunc(vals, func(v any) bool { return slices.Contains(list, v) })
		case m["except"] != nil:
			list, _ := m["except"].([]any)
			return len(vals) > 0 && !slices.ContainsFunc(vals, func(v any) bool { return slices.Contains(list, v) })
		case m["text"] != nil:
			text, _ := m["text"].(string)
			return slices.ContainsFunc(vals, func(v any) bool { s, _ := v.(string); return strings.Contains(s, text) })
		}
		return false
	}
	if rg, ok := c["range"].(map[string]any); ok {
		return slices.ContainsFunc(vals, func(v any) bool {
			f, isNum := v.(float64)
			if !isNum {
				return false
			}
			for op, bound := range rg {
				b, _ := bound.(float64)
				if op == "gt" && !(f > b) || op == "gte" && !(f >= b) || op == "lt" && !(f < b) || op == "lte" && !(f <= b) {
					return false
				}
			}
			return true
		})
	}
	return false
}

// values returns the payload values at a dotted key, arrays flattened.
func values(payload map[string]any, key string) []any {
	cur := []any{payload}
	for part := range strings.SplitSeq(key, ".") {
		var next []any
		for _, v := range cur {
			m, ok := v.(map[string]any)
			if !ok {
				continue
			}
			e, exists := m[part]
			if !exists {
				continue
			}
			if list, isList := e.([]any); isList {
				next = append(next, list...)
			} else {
				next = append(next, e)
			}
		}
		cur = next
	}
	return cur
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}
