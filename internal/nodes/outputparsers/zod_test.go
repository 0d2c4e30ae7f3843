package outputparsers

import (
	"strings"
	"testing"
)

func TestParseZod(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the JSON Schema
	}{
		{
			name: "flat object",
			src:  `z.object({ title: z.string(), n: z.number(), ok: z.boolean() })`,
			want: `{"type":"object","properties":{"title":{"type":"string"},"n":{"type":"number"},"ok":{"type":"boolean"}},"required":["title","n","ok"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}`,
		},
		{
			name: "modifiers",
			src: `z.object({
				title: z.string().describe('The "title"'), // comment
				tags: z.array(z.string()).describe("Keywords").optional(),
				year: z.number().int().min(1900).max(2100),
				note: z.string().nullable(),
				maybe: z.string().nullish(),
				/* block comment */ 'quoted key': z.string().length(3),
				mood: z.enum(['happy', "sad",]).default("happy"),
				when: z.date(),
			})`,
			want: `{"type":"object","properties":{` +
				`"title":{"type":"string","description":"The \"title\""},` +
				`"tags":{"type":"array","description":"Keywords","items":{"type":"string"}},` +
				`"year":{"type":"integer","minimum":1900,"maximum":2100},` +
				`"note":{"type":["string","null"]},` +
				`"maybe":{"type":["string","null"]},` +
				`"quoted key":{"type":"string","minLength":3,"maxLength":3},` +
				`"mood":{"type":"string","enum":["happy","sad"],"default":"happy"},` +
				`"when":{"type":"string","format":"date-time"}},` +
				`"required":["title","year","note","quoted key","when"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}`,
		},
		{
			name: "nested objects and arrays",
			src:  "z.array(z.object({ a: z.object({ b: z.enum([`x`]).array().max(2) }).optional() })).min(1);",
			want: `{"type":"array","minItems":1,"items":{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"array","maxItems":2,"items":{"type":"string","enum":["x"]}}},"required":["b"],"additionalProperties":false}},"required":[],"additionalProperties":false},"$schema":"http://json-schema.org/draft-07/schema#"}`,
		},
		{
			name: "object default",
			src:  `z.object({ cfg: z.object({ n: z.number() }).default({ n: 1, tags: ["a"], on: true, off: null }) })`,
			want: `{"type":"object","properties":{"cfg":{"type":"object","default":{"n":1,"off":null,"on":true,"tags":["a"]},"properties":{"n":{"type":"number"}},"required":["n"],"additionalProperties":false}},"required":[],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseZod(tc.src)
			if err != nil {
				t.Fatalf("parseZod: %v", err)
			}
			if got := s.jsonSchema(); got != tc.want {
				t.Errorf("schema =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestParseZodErrors(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string // substring of the error
	}{
		{name: "unsupported type", src: `z.object({ a: z.bigint() })`, wantErr: "line 1, column 17: unsupported Zod type z.bigint"},
		{name: "unsupported method", src: "z.object({\n  a: z.string().email()\n})", wantErr: "line 2, column 17: unsupported Zod method .email()"},
		{name: "refine is code", src: `z.string().refine(v => v)`, wantErr: "unsupported Zod method .refine()"},
		{name: "function call", src: `require('fs')`, wantErr: "line 1, column 1: expected z.<type>(...)"},
		{name: "arrow function", src: `z.object({ a: () => 1 })`, wantErr: "line 1, column 15: expected z.<type>(...)"},
		{name: "unexpected character", src: `z.object({ a: z.string() + 1 })`, wantErr: `line 1, column 26: expected "}", found unexpected character "+"`},
		{name: "template substitution", src: "z.string().describe(`${process.env}`)", wantErr: "template literal substitutions are not supported"},
		{name: "trailing code", src: `z.string(); process.exit()`, wantErr: `unexpected "process" after the schema`},
		{name: "unterminated string", src: `z.string().describe("abc)`, wantErr: "unterminated string"},
		{name: "unterminated comment", src: `z.string() /* x`, wantErr: "unterminated comment"},
		{name: "missing paren", src: `z.object({ a: z.string() }`, wantErr: `expected ")", found end of input`},
		{name: "empty enum", src: `z.enum([])`, wantErr: "enum needs at least one value"},
		{name: "int on string", src: `z.string().int()`, wantErr: ".int() applies to z.number() only"},
		{name: "max on boolean", src: `z.boolean().max(1)`, wantErr: ".max() applies to strings, arrays and numbers only"},
		{name: "describe with number", src: `z.string().describe(5)`, wantErr: ".describe() takes a string"},
		{name: "duplicate key", src: `z.object({ a: z.string(), a: z.number() })`, wantErr: `duplicate property "a"`},
		{name: "empty", src: ``, wantErr: "expected z.<type>(...), found end of input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseZod(tc.src)
			if err == nil {
				t.Fatalf("parseZod(%q) = %s, want an error", tc.src, s.jsonSchema())
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseZod error = %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
