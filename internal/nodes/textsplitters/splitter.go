package textsplitters

import (
	"maps"
	"strings"
	"unicode/utf16"

	"github.com/floehq/floe/internal/llm"
)

// units is text as JavaScript sees it: UTF-16 code units. LangChain JS
// measures, searches and cuts strings in code units, so the splitters work
// on units to produce the same chunks (a chunk boundary may even fall
// inside a surrogate pair, as in JavaScript).
type units []uint16

// toUnits converts s to UTF-16. Invalid UTF-8 becomes U+FFFD.
func toUnits(s string) units { return utf16.Encode([]rune(s)) }

// String converts u back to Go text. An unpaired surrogate, which
// JavaScript keeps but UTF-8 cannot hold, becomes U+FFFD.
func (u units) String() string { return string(utf16.Decode(u)) }

// index returns the first position at or after from where sub occurs in
// u, or -1: JavaScript's String.prototype.indexOf, which clamps from to
// [0, len(u)].
func (u units) index(sub units, from int) int {
	return u.bytes().index(sub.bytes(), from)
}

// bytes returns u as a string of little-endian code unit pairs, so that
// searches can use the strings package's fast substring search (the low
// byte first makes its first-byte scan selective on mostly ASCII text).
func (u units) bytes() unitBytes {
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return unitBytes(b)
}

// unitBytes is text in the form returned by [units.bytes].
type unitBytes string

// index is [units.index] on the byte form, skipping matches that do not
// start on a code unit boundary.
func (t unitBytes) index(sub unitBytes, from int) int {
	off := 2 * min(max(from, 0), len(t)/2)
	for off <= len(t) {
		i := strings.Index(string(t[off:]), string(sub))
		if i < 0 {
			return -1
		}
		if (off+i)%2 == 0 {
			return (off + i) / 2
		}
		off += i + 1
	}
	return -1
}

// slice is JavaScript's String.prototype.slice: negative positions count
// from the end, and start >= end gives an empty slice.
func (u units) slice(start, end int) units {
	clamp := func(i int) int {
		if i < 0 {
			return max(len(u)+i, 0)
		}
		return min(i, len(u))
	}
	start, end = clamp(start), clamp(end)
	if start >= end {
		return nil
	}
	return u[start:end]
}

// newlines counts the "\n" code units of u.
func (u units) newlines() int {
	n := 0
	for _, c := range u {
		if c == '\n' {
			n++
		}
	}
	return n
}

// isJSSpace reports whether r is whitespace to JavaScript's String.trim and
// regular expression \s: ECMAScript's WhiteSpace and LineTerminator. Unlike
// unicode.IsSpace it includes U+FEFF and excludes U+0085.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// trim is JavaScript's String.prototype.trim.
func (u units) trim() units {
	start, end := 0, len(u)
	for start < end && isJSSpace(rune(u[start])) {
		start++
	}
	for end > start && isJSSpace(rune(u[end-1])) {
		end--
	}
	return u[start:end]
}

// chunker cuts one text into chunks: the part of a LangChain TextSplitter
// that differs between splitter kinds (its splitText).
type chunker interface {
	chunks(text units) ([]units, error)
}

// textSplitter adapts a chunker to [llm.TextSplitter], adding LangChain's
// createDocuments line bookkeeping. It is safe for concurrent use when its
// chunker is, as all of this package's are.
type textSplitter struct {
	chunker chunker
}

// SplitText cuts text into chunks.
func (s *textSplitter) SplitText(text string) ([]string, error) {
	chunks, err := s.chunker.chunks(toUnits(text))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(chunks))
	for i, c := range chunks {
		out[i] = c.String()
	}
	return out, nil
}

// SplitDocuments cuts each document into chunks that keep its metadata and
// get metadata.loc.lines = {from, to}, the 1-based lines of the document
// the chunk spans, computed as LangChain JS's TextSplitter.createDocuments
// does: each chunk is looked up in the document after the previous chunk's
// position, and a chunk not found verbatim (because the splitter rewrote
// the text) is counted from position -1 with JavaScript's slice semantics.
// An object-valued loc in the metadata is copied and keeps its other keys.
func (s *textSplitter) SplitDocuments(docs []llm.Document) ([]llm.Document, error) {
	var out []llm.Document
	for _, doc := range docs {
		text := toUnits(doc.PageContent)
		chunks, err := s.chunker.chunks(text)
		if err != nil {
			return nil, err
		}
		out = append(out, locate(text, chunks, doc.Metadata)...)
	}
	return out, nil
}

// locate builds the chunk documents of one text (createDocuments' loop).
func locate(text units, chunks []units, metadata map[string]any) []llm.Document {
	docs := make([]llm.Document, 0, len(chunks))
	search := text.bytes()
	line := 1
	var prev units
	prevIndex := -1
	for i, chunk := range chunks {
		index := search.index(chunk.bytes(), prevIndex+1)
		if i == 0 {
			line += text.slice(0, index).newlines()
		} else {
			prevEnd := prevIndex + len(prev)
			switch {
			case prevEnd < index:
				line += text.slice(prevEnd, index).newlines()
			case prevEnd > index:
				line -= text.slice(index, prevEnd).newlines()
			}
		}
		n := chunk.newlines()
		docs = append(docs, llm.Document{PageContent: chunk.String(), Metadata: withLines(metadata, line, line+n)})
		line += n
		prev, prevIndex = chunk, index
	}
	return docs
}

// withLines returns a shallow copy of metadata whose loc (a copy of the
// original loc when that is an object) has lines = {from, to}.
func withLines(metadata map[string]any, from, to int) map[string]any {
	md := maps.Clone(metadata)
	if md == nil {
		md = make(map[string]any, 1)
	}
	loc := map[string]any{}
	if orig, ok := metadata["loc"].(map[string]any); ok && orig != nil {
		loc = maps.Clone(orig)
	}
	loc["lines"] = map[string]any{"from": from, "to": to}
	md["loc"] = loc
	return md
}

var _ llm.TextSplitter = (*textSplitter)(nil)
