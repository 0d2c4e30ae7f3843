package outputparsers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseZod reads a Zod schema expression, as Flowise's Advanced Structured
// Output Parser takes it, into a [schema]. It is a parser, not an
// evaluator: nothing in src runs. The supported subset is what Flowise's
// templates and secure Zod parser use:
//
//   - z.object({ key: <schema>, ... }) with identifier or quoted keys,
//     z.string(), z.number(), z.boolean(), z.date(), z.array(<schema>) and
//     z.enum(["a", "b"]);
//   - the methods .optional(), .nullable(), .nullish(), .describe("text"),
//     .int(), .min(n), .max(n), .length(n), .array() and .default(value);
//   - // and /* */ comments, trailing commas, '...', "..." and `...`
//     strings, and one optional trailing semicolon.
//
// Anything else is an error naming its line and column.
func parseZod(src string) (*schema, error) {
	toks, err := lexZod(src)
	if err != nil {
		return nil, err
	}
	p := &zodParser{src: src, toks: toks}
	s, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek().is(";") {
		p.next()
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, "unexpected %s after the schema", t)
	}
	return s, nil
}

// errEmptyEnum reports z.enum([]), which Zod rejects.
var errEmptyEnum = errors.New("enum needs at least one value")

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokNumber
	tokString
	tokPunct
	// tokOther is any other character; the parser rejects it where it
	// stands, so errors come in reading order.
	tokOther
)

// zodToken is one lexical token; text holds a string's decoded value.
type zodToken struct {
	kind tokKind
	text string
	pos  int // byte offset in the source
}

// is reports whether t is the punctuation punct.
func (t zodToken) is(punct string) bool { return t.kind == tokPunct && t.text == punct }

// String describes the token for error messages.
func (t zodToken) String() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return strconv.Quote(t.text)
	case tokOther:
		return fmt.Sprintf("unexpected character %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lexZod splits src into tokens, dropping spaces and comments.
func lexZod(src string) ([]zodToken, error) {
	var toks []zodToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, zodError(src, i, "unterminated comment")
			}
			i += end + 4
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, zodToken{kind: tokIdent, text: src[i:j], pos: i})
			i = j
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || strings.IndexByte(".eE+-_", src[j]) >= 0) {
				j++
			}
			toks = append(toks, zodToken{kind: tokNumber, text: strings.ReplaceAll(src[i:j], "_", ""), pos: i})
			i = j
		case c == '"' || c == '\'' || c == '`':
			text, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, zodToken{kind: tokString, text: text, pos: i})
			i += n
		case strings.IndexByte(".(){}[],:;", c) >= 0:
			toks = append(toks, zodToken{kind: tokPunct, text: string(c), pos: i})
			i++
		default:
			_, n := utf8.DecodeRuneInString(src[i:])
			toks = append(toks, zodToken{kind: tokOther, text: src[i : i+n], pos: i})
			i += n
		}
	}
	return append(toks, zodToken{kind: tokEOF, pos: len(src)}), nil
}

// lexString decodes the JavaScript string literal at src[start] and returns
// its value and length in bytes.
func lexString(src string, start int) (string, int, error) {
	q := src[start]
	var b strings.Builder
	for i := start + 1; i < len(src); i++ {
		c := src[i]
		switch {
		case c == q:
			return b.String(), i + 1 - start, nil
		case c == '\\' && i+1 < len(src):
			i++
			switch e := src[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'u':
				if i+4 < len(src) {
					if r, err := strconv.ParseUint(src[i+1:i+5], 16, 32); err == nil {
						b.WriteRune(rune(r))
						i += 4
						continue
					}
				}
				return "", 0, zodError(src, i-1, "invalid \\u escape")
			default:
				b.WriteByte(e) // \' \" \\ \` and others stand for themselves
			}
		case q == '`' && c == '$' && i+1 < len(src) && src[i+1] == '{':
			return "", 0, zodError(src, i, "template literal substitutions are not supported")
		case c == '\n' && q != '`':
			return "", 0, zodError(src, start, "unterminated string")
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, zodError(src, start, "unterminated string")
}

// zodError formats an error at a byte offset of src as line and column.
func zodError(src string, pos int, format string, args ...any) error {
	line := 1 + strings.Count(src[:pos], "\n")
	col := 1 + utf8.RuneCountInString(src[strings.LastIndexByte(src[:pos], '\n')+1:pos])
	return fmt.Errorf("parsing Zod schema: line %d, column %d: %s", line, col, fmt.Sprintf(format, args...))
}

type zodParser struct {
	src  string
	toks []zodToken
	i    int
}

func (p *zodParser) peek() zodToken { return p.toks[p.i] }

func (p *zodParser) next() zodToken {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *zodParser) errAt(t zodToken, format string, args ...any) error {
	return zodError(p.src, t.pos, format, args...)
}

// expect consumes the punctuation punct.
func (p *zodParser) expect(punct string) error {
	if t := p.next(); !t.is(punct) {
		return p.errAt(t, "expected %q, found %s", punct, t)
	}
	return nil
}

// expr parses z.<type>(...) followed by any methods.
func (p *zodParser) expr() (*schema, error) {
	if t := p.next(); t.kind != tokIdent || t.text != "z" {
		return nil, p.errAt(t, "expected z.<type>(...), found %s", t)
	}
	if err := p.expect("."); err != nil {
		return nil, err
	}
	name := p.next()
	if name.kind != tokIdent {
		return nil, p.errAt(name, "expected a Zod type name, found %s", name)
	}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var s *schema
	var err error
	switch name.text {
	case "string":
		s = &schema{kind: kindString}
	case "number":
		s = &schema{kind: kindNumber}
	case "boolean":
		s = &schema{kind: kindBoolean}
	case "date":
		s = &schema{kind: kindDate}
	case "object":
		s, err = p.objectBody()
	case "array":
		var items *schema
		if items, err = p.expr(); err == nil {
			s = &schema{kind: kindArray, items: items}
		}
	case "enum":
		s, err = p.enumBody()
	default:
		return nil, p.errAt(name, "unsupported Zod type z.%s", name.text)
	}
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return p.methods(s)
}

// objectBody parses { key: <schema>, ... }.
func (p *zodParser) objectBody() (*schema, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	s := &schema{kind: kindObject}
	seen := map[string]bool{}
	for !p.peek().is("}") {
		key := p.next()
		if key.kind != tokIdent && key.kind != tokString {
			return nil, p.errAt(key, "expected a property name, found %s", key)
		}
		if seen[key.text] {
			return nil, p.errAt(key, "duplicate property %q", key.text)
		}
		seen[key.text] = true
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		s.props = append(s.props, property{name: key.text, schema: v})
		if !p.peek().is(",") {
			break
		}
		p.next()
	}
	return s, p.expect("}")
}

// enumBody parses ["a", "b", ...].
func (p *zodParser) enumBody() (*schema, error) {
	open := p.peek()
	if err := p.expect("["); err != nil {
		return nil, err
	}
	s := &schema{kind: kindEnum}
	for !p.peek().is("]") {
		v := p.next()
		if v.kind != tokString {
			return nil, p.errAt(v, "expected a string enum value, found %s", v)
		}
		s.enum = append(s.enum, v.text)
		if !p.peek().is(",") {
			break
		}
		p.next()
	}
	if err := p.expect("]"); err != nil {
		return nil, err
	}
	if len(s.enum) == 0 {
		return nil, p.errAt(open, "%v", errEmptyEnum)
	}
	return s, nil
}

// methods applies the .method(...) calls that follow a type.
func (p *zodParser) methods(s *schema) (*schema, error) {
	for p.peek().is(".") {
		p.next()
		m := p.next()
		if m.kind != tokIdent {
			return nil, p.errAt(m, "expected a method name, found %s", m)
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var err error
		switch m.text {
		case "optional":
			s.optional = true
		case "nullable":
			s.nullable = true
		case "nullish":
			s.optional, s.nullable = true, true
		case "int":
			if s.kind != kindNumber {
				return nil, p.errAt(m, ".int() applies to z.number() only")
			}
			s.integer = true
		case "array":
			s = &schema{kind: kindArray, items: s}
		case "describe":
			t := p.next()
			if t.kind != tokString {
				return nil, p.errAt(t, ".describe() takes a string, found %s", t)
			}
			s.description = t.text
		case "min", "max", "length":
			err = p.bound(s, m)
		case "default":
			s.def, err = p.literal()
			s.hasDefault = err == nil
		default:
			return nil, p.errAt(m, "unsupported Zod method .%s()", m.text)
		}
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// bound reads the number argument of .min, .max or .length.
func (p *zodParser) bound(s *schema, m zodToken) error {
	if s.kind != kindString && s.kind != kindArray && s.kind != kindNumber {
		return p.errAt(m, ".%s() applies to strings, arrays and numbers only", m.text)
	}
	if m.text == "length" && s.kind == kindNumber {
		return p.errAt(m, ".length() applies to strings and arrays only")
	}
	t := p.next()
	if t.kind != tokNumber {
		return p.errAt(t, ".%s() takes a number, found %s", m.text, t)
	}
	n, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		return p.errAt(t, "invalid number %s", t.text)
	}
	switch m.text {
	case "min":
		s.min = &n
	case "max":
		s.max = &n
	default:
		s.min, s.max = &n, &n
	}
	return nil
}

// literal parses a JSON-like JavaScript literal: a string, a number, true,
// false, null, an array or an object with identifier or string keys.
func (p *zodParser) literal() (any, error) {
	t := p.next()
	switch {
	case t.kind == tokString:
		return t.text, nil
	case t.kind == tokNumber:
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.errAt(t, "invalid number %s", t.text)
		}
		return n, nil
	case t.kind == tokIdent && t.text == "true":
		return true, nil
	case t.kind == tokIdent && t.text == "false":
		return false, nil
	case t.kind == tokIdent && t.text == "null":
		return nil, nil
	case t.is("["):
		list := []any{}
		for !p.peek().is("]") {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		return list, p.expect("]")
	case t.is("{"):
		obj := map[string]any{}
		for !p.peek().is("}") {
			key := p.next()
			if key.kind != tokIdent && key.kind != tokString {
				return nil, p.errAt(key, "expected a property name, found %s", key)
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			obj[key.text] = v
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		return obj, p.expect("}")
	}
	return nil, p.errAt(t, "expected a literal value, found %s", t)
}
