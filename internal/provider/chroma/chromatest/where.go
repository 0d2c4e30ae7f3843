package chromatest

import (
	"fmt"
	"slices"
)

// validWhere checks a where clause as Chroma does: every object has exactly
// one key, and logical operators take lists of clauses.
func validWhere(w map[string]any) error {
	if w == nil {
		return nil
	}
	if len(w) != 1 {
		return fmt.Errorf("Expected where to have exactly one operator, got %v", w)
	}
	for k, v := range w {
		if k == "$and" || k == "$or" {
			list, ok := v.([]any)
			if !ok || len(list) < 2 {
				return fmt.Errorf("Expected where value for $and or $or to be a list with at least two where expressions, got %v", v)
			}
			for _, e := range list {
				m, ok := e.(map[string]any)
				if !ok {
					return fmt.Errorf("Expected where expression, got %v", e)
				}
				if err := validWhere(m); err != nil {
					return err
				}
			}
			continue
		}
		if op, ok := v.(map[string]any); ok && len(op) != 1 {
			return fmt.Errorf("Expected operator expression to have exactly one operator, got %v", op)
		}
	}
	return nil
}

// where evaluates a (valid) where clause against metadata.
func where(w map[string]any, md map[string]any) bool {
	for k, v := range w {
		switch k {
		case "$and":
			for _, e := range v.([]any) {
				if !where(e.(map[string]any), md) {
					return false
				}
			}
		case "$or":
			if !slices.ContainsFunc(v.([]any), func(e any) bool { return where(e.(map[string]any), md) }) {
				return false
			}
		default:
			got, exists := md[k]
			op, isOp := v.(map[string]any)
			if !isOp {
				op = map[string]any{"$eq": v}
			}
			for name, want := range op {
				if !compare(name, got, exists, want) {
					return false
				}
			}
		}
	}
	return true
}

func compare(op string, got any, exists bool, want any) bool {
	switch op {
	case "$eq":
		return exists && got == want
	case "$ne":
		return !exists || got != want
	case "$in":
		list, _ := want.([]any)
		return exists && slices.Contains(list, got)
	case "$nin":
		list, _ := want.([]any)
		return !exists || !slices.Contains(list, got)
	}
	g, ok1 := got.(float64)
	x, ok2 := want.(float64)
	if !exists || !ok1 || !ok2 {
		return false
	}
	switch op {
	case "$gt":
		return g > x
	case "$gte":
		return g >= x
	case "$lt":
		return g < x
	case "$lte":
		return g <= x
	}
	return false
}
