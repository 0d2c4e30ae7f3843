package all

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid or duplicate spec
	var names []string
	for _, def := range r.List() {
		names = append(names, def.Spec.Name)
	}
	want := []string{
		"RedisBackedChatMemory", "advancedStructuredOutputParser", "azureChatOpenAI", "bufferMemory", "bufferWindowMemory",
		"characterTextSplitter", "chatAnthropic", "chatDeepseek", "chatGoogleGenerativeAI", "chatLocalAI", "chatMistralAI", "chatOllama",
		"chatOpenAI", "chatOpenAICustom", "chatOpenRouter", "chatPromptTemplate", "chatTogetherAI", "codeTextSplitter", "conversationChain",
		"conversationSummaryBufferMemory", "conversationSummaryMemory", "conversationalRetrievalQAChain", "csvOutputParser", "groqChat", "htmlToMarkdownTextSplitter",
		"inputModerationOpenAI", "inputModerationSimple", "llmChain", "markdownTextSplitter", "promptTemplate", "recursiveCharacterTextSplitter", "retrievalQAChain",
		"similarityThresholdRetriever", "stickyNote",
		"structuredOutputParser", "tokenTextSplitter",
		// document loaders
		"apiLoader", "cheerioWebScraper", "csvFile", "docxFile", "folderFiles", "github", "jsonFile", "jsonlinesFile",
		"pdfFile", "plainText", "textFile",
		// vector stores and record managers
		"memoryVectorStore", "faiss", "embeddedVectorStore", "postgres", "qdrant", "chroma", "pinecone",
		"SQLiteRecordManager", "postgresRecordManager",
		// embeddings
		"azureOpenAIEmbeddings", "cohereEmbeddings", "googleGenerativeAiEmbeddings", "localAIEmbeddings", "mistralAIEmbeddings",
		"ollamaEmbedding", "openAIEmbeddings", "openAIEmbeddingsCustom", "togetherAIEmbedding", "voyageAIEmbeddings",
	}
	slices.Sort(want) // List is sorted by name
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("registered nodes (-want +got):\n%s", diff)
	}
}
