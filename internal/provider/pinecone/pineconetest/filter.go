package pineconetest

import (
	"fmt"
	"slices"
	"strings"
)

// validFilter rejects operators Pinecone does not know.
func validFilter(f map[string]any) error {
	for k, v := range f {
		switch k {
		case "$and", "$or":
			list, ok := v.([]any)
			if !ok {
				return fmt.Errorf("%s requires an array of filters", k)
			}
			for _, e := range list {
				m, ok := e.(map[string]any)
				if !ok {
					return fmt.Errorf("%s requires an array of filters", k)
				}
				if err := validFilter(m); err != nil {
					return err
				}
			}
			continue
		}
		if strings.HasPrefix(k, "$") {
			return fmt.Errorf("unknown top-level operator %s", k)
		}
		if ops, ok := v.(map[string]any); ok {
			for op := range ops {
				if !slices.Contains([]string{"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"}, op) {
					return fmt.Errorf("unknown operator %s for field %s", op, k)
				}
			}
		}
	}
	return nil
}

// matchFilter evaluates a Pinecone metadata filter. A field compared with a
// plain value means $eq; several fields must all match.
func matchFilter(f map[string]any, md map[string]any) bool {
	for k, v := range f {
		switch k {
		case "$and":
			for _, e := range v.([]any) {
				if !matchFilter(e.(map[string]any), md) {
					return false
				}
			}
		case "$or":
			if !slices.ContainsFunc(v.([]any), func(e any) bool { return matchFilter(e.(map[string]any), md) }) {
				return false
			}
		default:
			ops, isOps := v.(map[string]any)
			if !isOps {
				ops = map[string]any{"$eq": v}
			}
			got, exists := md[k]
			for op, want := range ops {
				if !match(op, got, exists, want) {
					return false
				}
			}
		}
	}
	return true
}

func match(op string, got any, exists bool, want any) bool {
	// A list of strings matches when any element does.
	if list, ok := got.([]any); ok && op != "$exists" {
		if op == "$ne" || op == "$nin" {
			return !slices.ContainsFunc(list, func(e any) bool { return !match(op, e, true, want) })
		}
		return slices.ContainsFunc(list, func(e any) bool { return match(op, e, true, want) })
	}
	switch op {
	case "$exists":
		b, _ := want.(bool)
		return exists == b
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
