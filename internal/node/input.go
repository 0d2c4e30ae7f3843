package node

import (
	"reflect"
)

// Input returns the instance connected to the anchor input name, asserted to
// T (usually an interface from package llm, e.g. llm.ChatModel). The engine
// stores upstream instances in [Data.Inputs] in place of their
// {{nodeId.data.instance}} references.
//
// When nothing is connected, Input returns an [*InputError] matching
// [ErrMissingInput]; check [Data.Has] first for optional anchors. When the
// instance is not a T, it returns one matching [ErrInvalidInput] that names
// the node, the input and both types.
func Input[T any](d *Data, name string) (T, error) {
	var zero T
	v, ok := d.value(name)
	if !ok {
		return zero, &InputError{Input: name, Node: d.nodeID(), Kind: ErrMissingInput, Reason: "nothing connected"}
	}
	t, ok := v.(T)
	if !ok {
		return zero, mismatch[T](d, name, v)
	}
	return t, nil
}

// InputList returns the instances connected to a list anchor (one with
// [Param.List], such as tools), each asserted to T, in saved order. The value
// may be a list or a single instance; nil and blank entries are skipped. An
// absent input returns nil and no error.
func InputList[T any](d *Data, name string) ([]T, error) {
	v, ok := d.value(name)
	if !ok {
		return nil, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		t, ok := v.(T)
		if !ok {
			return nil, mismatch[T](d, name, v)
		}
		return []T{t}, nil
	}
	out := make([]T, 0, rv.Len())
	for i := range rv.Len() {
		e := rv.Index(i).Interface()
		if e == nil {
			continue
		}
		if s, isString := e.(string); isString && s == "" {
			continue
		}
		t, ok := e.(T)
		if !ok {
			return nil, mismatch[T](d, name, e)
		}
		out = append(out, t)
	}
	return out, nil
}

func mismatch[T any](d *Data, name string, got any) error {
	return &InputError{
		Input:  name,
		Node:   d.nodeID(),
		Kind:   ErrInvalidInput,
		Reason: "got " + reflect.TypeOf(got).String() + ", want " + reflect.TypeFor[T]().String(),
	}
}

func (d *Data) nodeID() string {
	if d == nil {
		return ""
	}
	return d.ID
}
