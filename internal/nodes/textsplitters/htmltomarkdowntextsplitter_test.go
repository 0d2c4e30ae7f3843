package textsplitters

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHTMLToMarkdown pins the Go converter's output on the constructs
// Flowise users feed the splitter. flowise is what Flowise's converter,
// node-html-markdown 1.3, gives where it differs: the known, accepted
// differences.
func TestHTMLToMarkdown(t *testing.T) {
	tests := []struct {
		name, html, want string
		flowise          string
	}{
		{name: "headings and paragraphs", html: "<h1>Title</h1><p>One <b>bold</b> and <em>soft</em> word.</p><h3>Sub</h3>", want: "# Title\n\nOne **bold** and _soft_ word.\n\n### Sub"},
		{name: "head, script and style dropped", html: "<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><p>kept</p></body></html>", want: "kept"},
		{name: "lists", html: "<ul><li>a</li><li>b</li></ul><ol><li>one</li><li>two</li></ol>", want: "* a\n* b\n\n1. one\n2. two", flowise: "* a\n* b\n1. one\n2. two"},
		{name: "links, images and code", html: `<p><a href="https://x.example/">x</a> <img src="/i.png" alt="pic"> <code>go test</code></p>`, want: "[x](https://x.example/) ![pic](/i.png) `go test`"},
		{name: "code block", html: "<pre><code>a := 1\nb := 2\n</code></pre>", want: "```\na := 1\nb := 2\n```", flowise: "```\na := 1\nb := 2\n\n```"},
		{name: "table", html: "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>", want: "| k | v |\n|---|---|\n| a | 1 |", flowise: "| k | v |\n| - | - |\n| a | 1 |"},
		{name: "strikethrough and entities", html: "<p><del>old</del> &amp; new&nbsp;&eacute;</p>", want: "~~old~~ & new\u00a0é", flowise: "~~old~~ & new é"},
		{name: "plain text", html: "just text", want: "just text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := htmlToMarkdownText(tc.html)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("markdown (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHTMLToMarkdownTextSplitter(t *testing.T) {
	s, err := initJSON(t, htmlToMarkdownTextSplitter, `{"inputs":{"chunkSize":"30","chunkOverlap":"0"}}`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SplitText("<h2>Opening hours</h2><p>Monday to Friday, six until three.</p>")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"## Opening hours", "Monday to Friday, six until", "three."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SplitText (-want +got):\n%s", diff)
	}
}
