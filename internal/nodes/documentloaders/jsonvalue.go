package documentloaders

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// jkind is the JSON type of a jvalue.
type jkind int

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// maxJSONDepth bounds nesting so hostile files cannot exhaust memory.
const maxJSONDepth = 10000

// jvalue is a parsed JSON value that keeps object keys in JavaScript's
// order (integer-like keys first, ascending, then insertion order), so
// extraction walks values in the order Flowise's JSON loaders do.
type jvalue struct {
	kind jkind
	b    bool
	num  json.Number
	str  string
	arr  []*jvalue
	keys []string
	vals []*jvalue
}

// parseJSON parses one JSON document; trailing data is an error.
func parseJSON(b []byte) (*jvalue, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: data after the top-level value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (*jvalue, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("invalid JSON: nested deeper than %d", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("invalid JSON: unexpected end of input")
		}
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	switch t := tok.(type) {
	case nil:
		return &jvalue{kind: jNull}, nil
	case bool:
		return &jvalue{kind: jBool, b: t}, nil
	case json.Number:
		return &jvalue{kind: jNumber, num: t}, nil
	case string:
		return &jvalue{kind: jString, str: t}, nil
	case json.Delim:
		switch t {
		case '[':
			v := &jvalue{kind: jArray}
			for dec.More() {
				e, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.arr = append(v.arr, e)
			}
			_, err := dec.Token() // ']'
			return v, err
		case '{':
			v := &jvalue{kind: jObject}
			index := map[string]int{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON: %w", err)
				}
				k, _ := kt.(string)
				e, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				if i, dup := index[k]; dup {
					v.vals[i] = e // last wins, first position kept
					continue
				}
				index[k] = len(v.keys)
				v.keys = append(v.keys, k)
				v.vals = append(v.vals, e)
			}
			if _, err := dec.Token(); err != nil { // '}'
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			v.sortKeys()
			return v, nil
		}
	}
	return nil, fmt.Errorf("invalid JSON: unexpected token %v", tok)
}

// sortKeys moves integer-like keys to the front in ascending order, as
// JavaScript orders object properties.
func (v *jvalue) sortKeys() {
	type kv struct {
		k string
		v *jvalue
	}
	pairs := make([]kv, len(v.keys))
	for i := range v.keys {
		pairs[i] = kv{v.keys[i], v.vals[i]}
	}
	slices.SortStableFunc(pairs, func(a, b kv) int {
		ai, aok := arrayIndex(a.k)
		bi, bok := arrayIndex(b.k)
		switch {
		case aok && bok:
			return cmp.Compare(ai, bi)
		case aok:
			return -1
		case bok:
			return 1
		}
		return 0
	})
	for i, p := range pairs {
		v.keys[i], v.vals[i] = p.k, p.v
	}
}

// arrayIndex reports whether k is a canonical array index ("0", "17").
func arrayIndex(k string) (int64, bool) {
	if k == "" || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseInt(k, 10, 64)
	if err != nil || n < 0 || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

// values returns an object's or array's values in order (Object.values).
func (v *jvalue) values() []*jvalue {
	if v.kind == jArray {
		return v.arr
	}
	return v.vals
}

// child returns the member named key of an object, or the element at index
// key of an array.
func (v *jvalue) child(key string) (*jvalue, bool) {
	switch v.kind {
	case jObject:
		if i := slices.Index(v.keys, key); i >= 0 {
			return v.vals[i], true
		}
	case jArray:
		if n, ok := arrayIndex(key); ok && n < int64(len(v.arr)) {
			return v.arr[n], true
		}
	}
	return nil, false
}

// pointer resolves an RFC 6901 JSON pointer ("" is the value itself).
func (v *jvalue) pointer(p string) (*jvalue, bool) {
	if p == "" {
		return v, true
	}
	if !strings.HasPrefix(p, "/") {
		return nil, false
	}
	cur := v
	for tok := range strings.SplitSeq(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next, ok := cur.child(tok)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// truthy reports JavaScript truthiness.
func (v *jvalue) truthy() bool {
	switch v.kind {
	case jNull:
		return false
	case jBool:
		return v.b
	case jNumber:
		f, err := v.num.Float64()
		return err != nil || f != 0
	case jString:
		return v.str != ""
	}
	return true
}

// sameEntry compares as Array.prototype.includes does: identity for
// objects and arrays, value for primitives.
func sameEntry(a, b *jvalue) bool {
	if a == b {
		return true
	}
	if a.kind != b.kind || a.kind == jArray || a.kind == jObject {
		return false
	}
	return a.jsString() == b.jsString()
}

// jsString formats a primitive as JavaScript's String() does, and arrays
// and objects as compact JSON.
func (v *jvalue) jsString() string {
	switch v.kind {
	case jNull:
		return "null"
	case jBool:
		return strconv.FormatBool(v.b)
	case jNumber:
		if f, err := v.num.Float64(); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return v.num.String()
	case jString:
		return v.str
	}
	var b bytes.Buffer
	v.writeJSON(&b)
	return b.String()
}

// writeJSON writes v as compact JSON in key order (JSON.stringify).
func (v *jvalue) writeJSON(b *bytes.Buffer) {
	switch v.kind {
	case jString:
		writeJSONString(b, v.str)
	case jArray:
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			e.writeJSON(b)
		}
		b.WriteByte(']')
	case jObject:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			v.vals[i].writeJSON(b)
		}
		b.WriteByte('}')
	default:
		b.WriteString(v.jsString())
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}

// toAny converts v for document metadata: objects to maps, arrays to
// slices, numbers to float64.
func (v *jvalue) toAny() any {
	switch v.kind {
	case jBool:
		return v.b
	case jNumber:
		if f, err := v.num.Float64(); err == nil {
			return f
		}
		return v.num.String()
	case jString:
		return v.str
	case jArray:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = e.toAny()
		}
		return out
	case jObject:
		out := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			out[k] = v.vals[i].toAny()
		}
		return out
	}
	return nil
}
