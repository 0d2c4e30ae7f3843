// Package textsplitters holds Flowise's "Text Splitters" nodes: they cut
// documents into chunks for embedding. Each produces an [llm.TextSplitter]
// whose chunks equal LangChain JS's (@langchain/textsplitters, which
// Flowise uses) for the same text and settings: lengths are counted, and
// text is searched and cut, in UTF-16 code units as in JavaScript, and
// SplitDocuments adds metadata.loc.lines as LangChain's createDocuments
// does. The golden tests in testdata/golden were written by running
// LangChain JS (testdata/gen).
package textsplitters

import "github.com/floehq/floe/internal/node"

// Register adds the text splitter nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(characterTextSplitter)
	r.MustRegister(codeTextSplitter)
	r.MustRegister(htmlToMarkdownTextSplitter)
	r.MustRegister(markdownTextSplitter)
	r.MustRegister(recursiveCharacterTextSplitter)
	r.MustRegister(tokenTextSplitter)
}
