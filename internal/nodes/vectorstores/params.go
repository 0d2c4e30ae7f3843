package vectorstores

import "github.com/floehq/floe/internal/node"

// Input names shared by the vector store nodes (Flowise's names).
const (
	inDocument      = "document"
	inEmbeddings    = "embeddings"
	inRecordManager = "recordManager"
	inTopK          = "topK"
	inSearchType    = "searchType"
	inFetchK        = "fetchK"
	inLambda        = "lambda"
	inFileUpload    = "fileUpload"
	inBatchSize     = "batchSize"
)

// Output names of every vector store node (data.outputs.output).
const (
	outRetriever   = "retriever"
	outVectorStore = "vectorStore"
)

const category = "Vector Stores"

// chatIDKey is the metadata key Flowise's File Upload option tags upserted
// documents with (FLOWISE_CHATID).
const chatIDKey = "flowise_chatId"

func documentParam() node.Param {
	return node.Param{Label: "Document", Name: inDocument, Type: "Document", List: true, Optional: true}
}

func embeddingsParam() node.Param {
	return node.Param{Label: "Embeddings", Name: inEmbeddings, Type: "Embeddings"}
}

func recordManagerParam() node.Param {
	return node.Param{
		Label:       "Record Manager",
		Name:        inRecordManager,
		Type:        "RecordManager",
		Description: "Keep track of the record to prevent duplication",
		Optional:    true,
	}
}

// topKParam is the Top K field; most stores show it under Additional
// Parameters.
func topKParam(additional bool) node.Param {
	return node.Param{
		Label:            "Top K",
		Name:             inTopK,
		Description:      "Number of top results to fetch. Default to 4",
		Placeholder:      "4",
		Type:             node.TypeNumber,
		AdditionalParams: additional,
		Optional:         true,
	}
}

// mmrParams are Flowise's addMMRInputParams fields.
func mmrParams() []node.Param {
	return []node.Param{
		{
			Label:   "Search Type",
			Name:    inSearchType,
			Type:    node.TypeOptions,
			Default: "similarity",
			Options: []node.Option{
				{Label: "Similarity", Name: "similarity"},
				{Label: "Max Marginal Relevance", Name: "mmr"},
			},
			AdditionalParams: true,
			Optional:         true,
		},
		{
			Label:            "Fetch K (for MMR Search)",
			Name:             inFetchK,
			Description:      "Number of initial documents to fetch for MMR reranking. Default to 20. Used only when the search type is MMR",
			Placeholder:      "20",
			Type:             node.TypeNumber,
			AdditionalParams: true,
			Optional:         true,
		},
		{
			Label: "Lambda (for MMR Search)",
			Name:  inLambda,
			Description: "Number between 0 and 1 that determines the degree of diversity among the results, where 0 corresponds " +
				"to maximum diversity and 1 to minimum diversity. Used only when the search type is MMR",
			Placeholder:      "0.5",
			Type:             node.TypeNumber,
			AdditionalParams: true,
			Optional:         true,
		},
	}
}

const howToUseFileUpload = `
**File Upload**

This allows file upload on the chat. Uploaded files will be upserted on the fly to the vector store.

**Note:**
- You can only turn on file upload for one vector store at a time.
- At least one Document Loader node should be connected to the document input.
- Document Loader should be file types like PDF, DOCX, TXT, etc.

**How it works**
- Uploaded files will have the metadata updated with the chatId.
- This will allow the file to be associated with the chatId.
- When querying, metadata will be filtered by chatId to retrieve files associated with the chatId.
`

func fileUploadParam() node.Param {
	return node.Param{
		Label:            "File Upload",
		Name:             inFileUpload,
		Description:      "Allow file upload on the chat",
		Hint:             map[string]string{"label": "How to use", "value": howToUseFileUpload},
		Type:             node.TypeBoolean,
		AdditionalParams: true,
		Optional:         true,
	}
}

func batchSizeParam() node.Param {
	return node.Param{
		Label:            "Upsert Batch Size",
		Name:             inBatchSize,
		Type:             node.TypeNumber,
		Step:             1,
		Description:      "Upsert in batches of size N",
		AdditionalParams: true,
		Optional:         true,
	}
}

// baseClasses returns a vector store node's base classes (its retriever
// output's) for the node type typ.
func baseClasses(typ string) []string {
	return []string{typ, "VectorStoreRetriever", "BaseRetriever"}
}

// outputs returns the two outputs of a vector store node: "<label>
// Retriever" and "<label> Vector Store", whose classes are typ followed by
// storeClasses (Flowise's getBaseClasses of the LangChain store class).
func outputs(label, typ string, storeClasses ...string) []node.Output {
	return []node.Output{
		{Label: label + " Retriever", Name: outRetriever, BaseClasses: baseClasses(typ)},
		{Label: label + " Vector Store", Name: outVectorStore, BaseClasses: append([]string{typ}, storeClasses...)},
	}
}
