package openai

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// decodeEmbeddings reads the vectors of an embeddings response body
// ({"data":[{"index":0,"embedding":[...] or "<base64>"}, ...], ...}) into
// out, which has one nil slot per text, by each item's index.
//
// A batch of 512 vectors of 1536 dimensions is 4–8 MB of JSON, and a
// general JSON decoder spends most of an upsert scanning those strings
// byte by byte. This decoder walks only the structure it needs and finds
// the end of each string with bytes.IndexByte; anything it does not
// expect (an escaped key, a malformed document) makes it give up, and the
// caller then falls back to encoding/json, so odd but valid responses
// still decode.
func decodeEmbeddings(body []byte, out [][]float32) error {
	d := &embDecoder{b: body}
	err := d.response(out)
	if errors.Is(err, errFastPath) {
		clear(out)
		return decodeEmbeddingsJSON(body, out)
	}
	return err
}

// errFastPath is returned when the fast decoder meets something it does
// not handle; the caller retries with encoding/json.
var errFastPath = errors.New("embeddings response outside the fast decoder's shape")

type embDecoder struct {
	b []byte
	i int
}

func (d *embDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, 0 at the end.
func (d *embDecoder) peek() byte {
	d.ws()
	if d.i >= len(d.b) {
		return 0
	}
	return d.b[d.i]
}

func (d *embDecoder) expect(c byte) error {
	if d.peek() != c {
		return errFastPath
	}
	d.i++
	return nil
}

// rawString returns the bytes of a string without escapes (errFastPath
// when it has any).
func (d *embDecoder) rawString() ([]byte, error) {
	if err := d.expect('"'); err != nil {
		return nil, err
	}
	j := bytes.IndexByte(d.b[d.i:], '"')
	if j < 0 {
		return nil, errFastPath
	}
	s := d.b[d.i : d.i+j]
	if bytes.IndexByte(s, '\\') >= 0 {
		return nil, errFastPath
	}
	d.i += j + 1
	return s, nil
}

// skipString skips a string, escapes included.
func (d *embDecoder) skipString() error {
	if err := d.expect('"'); err != nil {
		return err
	}
	for {
		j := bytes.IndexAny(d.b[d.i:], `"\`)
		if j < 0 {
			return errFastPath
		}
		d.i += j
		if d.b[d.i] == '"' {
			d.i++
			return nil
		}
		d.i += 2 // a backslash and the escaped byte
	}
}

// skip skips any value.
func (d *embDecoder) skip() error {
	switch d.peek() {
	case '"':
		return d.skipString()
	case '{', '[':
		depth := 0
		for d.i < len(d.b) {
			switch d.b[d.i] {
			case '"':
				if err := d.skipString(); err != nil {
					return err
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					d.i++
					return nil
				}
			}
			d.i++
		}
		return errFastPath
	default:
		for d.i < len(d.b) {
			switch d.b[d.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return nil
			}
			d.i++
		}
		return nil
	}
}

// object calls field for each key of an object.
func (d *embDecoder) object(field func(key []byte) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if d.peek() == '}' {
		d.i++
		return nil
	}
	for {
		key, err := d.rawString()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return nil
		default:
			return errFastPath
		}
	}
}

// array calls elem for each element of an array.
func (d *embDecoder) array(elem func() error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	if d.peek() == ']' {
		d.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return nil
		default:
			return errFastPath
		}
	}
}

// number returns the bytes of a number literal.
func (d *embDecoder) number() []byte {
	d.ws()
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			d.i++
		default:
			return d.b[start:d.i]
		}
	}
	return d.b[start:d.i]
}

func (d *embDecoder) response(out [][]float32) error {
	sawData := false
	err := d.object(func(key []byte) error {
		if string(key) != "data" {
			return d.skip()
		}
		sawData = true
		return d.array(func() error { return d.item(out) })
	})
	if err == nil && !sawData {
		return errFastPath
	}
	return err
}

func (d *embDecoder) item(out [][]float32) error {
	index := -1
	var vec []float32
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "index":
			n, err := strconv.Atoi(string(d.number()))
			if err != nil {
				return errFastPath
			}
			index = n
			return nil
		case "embedding":
			var err error
			vec, err = d.vector()
			return err
		default:
			return d.skip()
		}
	})
	if err != nil {
		return err
	}
	return place(out, index, vec)
}

// vector reads an embedding: a base64 string of little-endian float32
// values, or an array of numbers.
func (d *embDecoder) vector() ([]float32, error) {
	if d.peek() == '"' {
		s, err := d.rawString()
		if err != nil {
			return nil, err
		}
		return base64Vector(s)
	}
	v := make([]float32, 0, 1536)
	err := d.array(func() error {
		f, err := strconv.ParseFloat(string(d.number()), 32)
		if err != nil {
			return errFastPath
		}
		v = append(v, float32(f))
		return nil
	})
	return v, err
}

// base64Vector decodes the OpenAI API's base64 embedding encoding.
func base64Vector(s []byte) ([]float32, error) {
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(raw, s)
	if err != nil {
		return nil, fmt.Errorf("decoding a base64 embedding: %w", err)
	}
	if n%4 != 0 {
		return nil, fmt.Errorf("decoding a base64 embedding: %d bytes is not a whole number of float32 values", n)
	}
	v := make([]float32, n/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v, nil
}

// place stores vec at out[index], refusing an index out of range or seen
// before.
func place(out [][]float32, index int, vec []float32) error {
	if index < 0 || index >= len(out) || out[index] != nil {
		return fmt.Errorf("unexpected embedding index %d for %d texts", index, len(out))
	}
	if vec == nil {
		vec = []float32{}
	}
	out[index] = vec
	return nil
}

// decodeEmbeddingsJSON is the general path: encoding/json, for responses
// the fast decoder does not handle.
func decodeEmbeddingsJSON(body []byte, out [][]float32) error {
	var res struct {
		Data []struct {
			Index     int             `json:"index"`
			Embedding json.RawMessage `json:"embedding"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return fmt.Errorf("decoding the embeddings response: %w", err)
	}
	for _, it := range res.Data {
		var vec []float32
		switch {
		case len(it.Embedding) > 0 && it.Embedding[0] == '"':
			var s string
			if err := json.Unmarshal(it.Embedding, &s); err != nil {
				return fmt.Errorf("decoding the embeddings response: %w", err)
			}
			v, err := base64Vector([]byte(s))
			if err != nil {
				return err
			}
			vec = v
		default:
			var fs []float64
			if err := json.Unmarshal(it.Embedding, &fs); err != nil {
				return fmt.Errorf("decoding the embeddings response: %w", err)
			}
			vec = make([]float32, len(fs))
			for i, f := range fs {
				vec[i] = float32(f)
			}
		}
		if err := place(out, it.Index, vec); err != nil {
			return err
		}
	}
	return nil
}
