// gen.mjs writes the golden files of Floe's text splitter tests
// (../golden/*.json) by running LangChain JS's splitters, the ones Flowise
// uses, configured the way Flowise's text splitter nodes configure them.
//
// Usage, from this directory:
//
//	go test ../.. -run TestHTMLConversionFiles -update   # refresh ../htmlmd first
//	npm install && node gen.mjs && rm -rf node_modules
//
// Every golden holds the node name, the node inputs as Flowise saves them
// (the Go test feeds them to the node's Init), the input file, the metadata
// of the document that was split, splitText's chunks and splitDocuments'
// documents.
//
// Two things are not LangChain's own code and are re-implemented here from
// Flowise's node sources (packages/components/nodes/textsplitters):
//   - the per-node init logic (which inputs are read and how);
//   - markdownTextSplitter's "split by headers" mode, which is Flowise code.
// flowise-extra-languages.json holds the separators Flowise's
// CodeTextSplitter adds for languages LangChain does not know, extracted
// mechanically from CodeTextSplitter.ts (Flowise ababf4c8).
//
// htmlToMarkdownTextSplitter: Flowise converts HTML with node-html-markdown;
// Floe uses html-to-markdown (Go), whose Markdown legitimately differs in
// places. So the golden runs the same splitter class as Flowise with the Go
// converter's output (../htmlmd/<input>.md) standing in for the JS converter.

import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
    CharacterTextSplitter,
    MarkdownTextSplitter,
    RecursiveCharacterTextSplitter,
    SupportedTextSplitterLanguages,
    TokenTextSplitter
} from '@langchain/textsplitters'
import { Tiktoken } from 'js-tiktoken/lite'

// mergeSplits warns about every oversized chunk; the goldens show them.
console.warn = () => {}

const here = dirname(fileURLToPath(import.meta.url))
const testdata = join(here, '..')
const goldenDir = join(testdata, 'golden')
const extraLanguages = JSON.parse(readFileSync(join(here, 'flowise-extra-languages.json'), 'utf8'))

// Flowise reads numbers with `if (v) obj.x = parseInt(v, 10)`.
function numberInputs(inputs) {
    const obj = {}
    if (inputs.chunkSize) obj.chunkSize = parseInt(inputs.chunkSize, 10)
    if (inputs.chunkOverlap) obj.chunkOverlap = parseInt(inputs.chunkOverlap, 10)
    return obj
}

// LangChain fetches BPE ranks from the network on first use; the same ranks
// ship with js-tiktoken, so hand the splitter a ready tokenizer instead.
async function tokenizerFor(encodingName) {
    const mod = await import(`js-tiktoken/ranks/${encodingName}`)
    return new Tiktoken(mod.default)
}

// HtmlToMarkdown mirrors Flowise's HtmlToMarkdownTextSplitter with the Go
// converter's Markdown in place of NodeHtmlMarkdown.translate.
class HtmlToMarkdown extends MarkdownTextSplitter {
    constructor(fields, markdown) {
        super(fields)
        this.markdown = markdown
    }
    async splitText(html) {
        const md = this.markdown.get(html)
        if (md === undefined) throw new Error('no converted markdown for this html')
        return super.splitText(md)
    }
}

// headerSections is Flowise's MarkdownTextSplitter "split by headers" mode:
// a new section starts at each ATX header no deeper than maxLevel.
function headerSections(text, maxLevel) {
    const sections = []
    let current = []
    for (const line of text.split('\n')) {
        const header = /^#{1,6}\s/.test(line)
        const depth = header ? /^#+/.exec(line)[0].length : 0
        if (header && depth <= maxLevel) {
            if (current.length > 0) sections.push(current.join('\n').trim())
            current = [line]
        } else {
            current.push(line)
        }
    }
    if (current.length > 0) sections.push(current.join('\n').trim())
    return sections
}

// initNode builds what the Flowise node's init returns for these inputs.
async function initNode(name, inputs, ctx) {
    const obj = numberInputs(inputs)
    switch (name) {
        case 'recursiveCharacterTextSplitter':
            if (inputs.separators) {
                obj.separators = typeof inputs.separators === 'object' ? inputs.separators : JSON.parse(inputs.separators)
            }
            return new RecursiveCharacterTextSplitter(obj)
        case 'characterTextSplitter':
            if (inputs.separator) obj.separator = inputs.separator
            return new CharacterTextSplitter(obj)
        case 'tokenTextSplitter': {
            obj.encodingName = inputs.encodingName
            const s = new TokenTextSplitter(obj)
            s.tokenizer = await tokenizerFor(s.encodingName)
            return s
        }
        case 'markdownTextSplitter': {
            const s = new MarkdownTextSplitter(obj)
            const level = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 }[inputs.splitByHeaders] ?? 0
            if (!level) return s
            return {
                splitText: async (text) => headerSections(text, level),
                splitDocuments: async (docs) =>
                    docs.flatMap((d) => headerSections(d.pageContent, level).map((c) => ({ pageContent: c, metadata: { ...d.metadata } })))
            }
        }
        case 'codeTextSplitter': {
            const lang = inputs.language
            if (SupportedTextSplitterLanguages.includes(lang)) return RecursiveCharacterTextSplitter.fromLanguage(lang, obj)
            if (extraLanguages[lang]) return new RecursiveCharacterTextSplitter({ ...obj, separators: extraLanguages[lang] })
            return new RecursiveCharacterTextSplitter(obj)
        }
        case 'htmlToMarkdownTextSplitter':
            return new HtmlToMarkdown(obj, ctx.markdown)
    }
    throw new Error(`unknown node ${name}`)
}

const small = { chunkSize: '200', chunkOverlap: '40' }
const tiny = { chunkSize: 60, chunkOverlap: 10 }
const tokens = { chunkSize: '50', chunkOverlap: '10' }

// cases: [node, case name, input file, inputs, metadata?]
const cases = [
    ['recursiveCharacterTextSplitter', 'prose_200', 'prose.txt', small],
    ['recursiveCharacterTextSplitter', 'prose_60', 'prose.txt', tiny],
    ['recursiveCharacterTextSplitter', 'prose_defaults', 'prose.txt', { chunkSize: '', chunkOverlap: '' }],
    ['recursiveCharacterTextSplitter', 'markdown_200', 'markdown.md', small],
    ['recursiveCharacterTextSplitter', 'code_200', 'code.js', small],
    ['recursiveCharacterTextSplitter', 'code_60', 'code.py', tiny],
    ['recursiveCharacterTextSplitter', 'unicode_200', 'unicode.txt', small, { source: 'unicode.txt', loc: { pageNumber: 3 } }],
    ['recursiveCharacterTextSplitter', 'unicode_60', 'unicode.txt', tiny],
    ['recursiveCharacterTextSplitter', 'emoji_10', 'emoji.txt', { chunkSize: '10', chunkOverlap: '3' }, { source: 'emoji.txt', loc: 'not an object' }],
    ['recursiveCharacterTextSplitter', 'prose_separators', 'prose.txt', { ...small, separators: '["\\n\\n", ". ", ","]' }],
    ['recursiveCharacterTextSplitter', 'markdown_placeholder_separators', 'markdown.md', { ...tiny, separators: '["|", "##", ">", "-"]' }],
    ['recursiveCharacterTextSplitter', 'code_unmatched_separator', 'code.py', { ...tiny, separators: ['@@@'] }],
    ['recursiveCharacterTextSplitter', 'code_last_separator', 'code.go', { ...tiny, separators: '["\\nfunc "]' }],

    ['characterTextSplitter', 'prose_200', 'prose.txt', small],
    ['characterTextSplitter', 'prose_space_60', 'prose.txt', { ...tiny, separator: ' ' }],
    ['characterTextSplitter', 'markdown_200', 'markdown.md', small],
    ['characterTextSplitter', 'code_newline_200', 'code.go', { ...small, separator: '\n' }],
    ['characterTextSplitter', 'code_200', 'code.js', small],
    ['characterTextSplitter', 'unicode_newline_60', 'unicode.txt', { ...tiny, separator: '\n' }, { source: 'unicode.txt', loc: { pageNumber: 1 } }],
    ['characterTextSplitter', 'unicode_200', 'unicode.txt', small],

    ['tokenTextSplitter', 'prose_gpt2', 'prose.txt', { ...tokens, encodingName: 'gpt2' }],
    ['tokenTextSplitter', 'prose_default_encoding', 'prose.txt', { chunkSize: 100, chunkOverlap: '0' }],
    ['tokenTextSplitter', 'markdown_cl100k', 'markdown.md', { ...tokens, encodingName: 'cl100k_base' }],
    ['tokenTextSplitter', 'code_p50k', 'code.js', { ...tokens, encodingName: 'p50k_base' }],
    ['tokenTextSplitter', 'code_p50k_edit', 'code.py', { ...tokens, encodingName: 'p50k_edit' }],
    ['tokenTextSplitter', 'code_r50k', 'code.c', { ...tokens, encodingName: 'r50k_base' }],
    ['tokenTextSplitter', 'unicode_gpt2', 'unicode.txt', { chunkSize: '7', chunkOverlap: '2', encodingName: 'gpt2' }],
    ['tokenTextSplitter', 'unicode_cl100k', 'unicode.txt', { chunkSize: '9', chunkOverlap: '3', encodingName: 'cl100k_base' }],
    ['tokenTextSplitter', 'emoji_cl100k', 'emoji.txt', { chunkSize: '3', chunkOverlap: '1', encodingName: 'cl100k_base' }],
    ['tokenTextSplitter', 'unicode_o200k', 'unicode.txt', { ...tokens, encodingName: 'o200k_base' }],

    ['markdownTextSplitter', 'markdown_200', 'markdown.md', small],
    ['markdownTextSplitter', 'markdown_60', 'markdown.md', tiny, { source: 'markdown.md', loc: { pageNumber: 2 } }],
    ['markdownTextSplitter', 'prose_200', 'prose.txt', small],
    ['markdownTextSplitter', 'code_200', 'code.py', small],
    ['markdownTextSplitter', 'unicode_60', 'unicode.txt', tiny],
    ['markdownTextSplitter', 'emoji_7', 'emoji.txt', { chunkSize: 7, chunkOverlap: 2 }],
    ['markdownTextSplitter', 'markdown_headers_h2', 'markdown.md', { ...small, splitByHeaders: 'h2' }],
    ['markdownTextSplitter', 'markdown_headers_h6', 'markdown.md', { ...small, splitByHeaders: 'h6' }],
    ['markdownTextSplitter', 'markdown_headers_disabled', 'markdown.md', { ...small, splitByHeaders: 'disabled' }],
    ['markdownTextSplitter', 'prose_headers_h1', 'prose.txt', { ...small, splitByHeaders: 'h1' }],

    ['codeTextSplitter', 'js_200', 'code.js', { ...small, language: 'js' }],
    ['codeTextSplitter', 'js_60', 'code.js', { ...tiny, language: 'js' }],
    ['codeTextSplitter', 'python_200', 'code.py', { ...small, language: 'python' }],
    ['codeTextSplitter', 'python_60', 'code.py', { ...tiny, language: 'python' }],
    ['codeTextSplitter', 'go_200', 'code.go', { ...small, language: 'go' }],
    ['codeTextSplitter', 'ts_200', 'code.ts', { ...small, language: 'ts' }],
    ['codeTextSplitter', 'c_200', 'code.c', { ...small, language: 'c' }],
    ['codeTextSplitter', 'cpp_60', 'code.c', { ...tiny, language: 'cpp' }],
    ['codeTextSplitter', 'markdown_200', 'markdown.md', { ...small, language: 'markdown' }],
    ['codeTextSplitter', 'html_200', 'page.html', { ...small, language: 'html' }],
    ['codeTextSplitter', 'prose_rust_200', 'prose.txt', { ...small, language: 'rust' }],
    ['codeTextSplitter', 'unicode_kotlin_60', 'unicode.txt', { ...tiny, language: 'kotlin' }],

    ['htmlToMarkdownTextSplitter', 'html_200', 'page.html', small],
    ['htmlToMarkdownTextSplitter', 'html_60', 'page.html', tiny, { source: 'page.html', loc: { pageNumber: 1 } }],
    ['htmlToMarkdownTextSplitter', 'prose_200', 'prose.txt', small],
    ['htmlToMarkdownTextSplitter', 'markdown_200', 'markdown.md', small],
    ['htmlToMarkdownTextSplitter', 'code_200', 'code.js', small],
    ['htmlToMarkdownTextSplitter', 'unicode_60', 'unicode.txt', tiny]
]

rmSync(goldenDir, { recursive: true, force: true })
mkdirSync(goldenDir, { recursive: true })

for (const [name, caseName, input, inputs, metadata = { source: input }] of cases) {
    const text = readFileSync(join(testdata, 'inputs', input), 'utf8')
    const ctx = { markdown: new Map() }
    const golden = { node: name, inputs, input }
    if (name === 'htmlToMarkdownTextSplitter') {
        golden.markdownInput = `htmlmd/${input}.md`
        ctx.markdown.set(text, readFileSync(join(testdata, golden.markdownInput), 'utf8'))
    }
    const splitter = await initNode(name, inputs, ctx)
    golden.metadata = metadata
    golden.texts = await splitter.splitText(text)
    const docs = await splitter.splitDocuments([{ pageContent: text, metadata }])
    golden.documents = docs.map((d) => ({ pageContent: d.pageContent, metadata: d.metadata }))
    writeFileSync(join(goldenDir, `${name}_${caseName}.json`), JSON.stringify(golden, null, 2) + '\n')
}

// The separators each codeTextSplitter language resolves to in Flowise.
const languages = {}
for (const lang of [...SupportedTextSplitterLanguages, ...Object.keys(extraLanguages)].sort()) {
    languages[lang] = SupportedTextSplitterLanguages.includes(lang)
        ? RecursiveCharacterTextSplitter.getSeparatorsForLanguage(lang)
        : extraLanguages[lang]
}
writeFileSync(join(goldenDir, 'languages.json'), JSON.stringify(languages, null, 2) + '\n')

console.log(`wrote ${readdirSync(goldenDir).length} files to ${goldenDir}`)
