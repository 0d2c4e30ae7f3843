// Package vectorstores holds the nodes of Flowise's "Vector Stores"
// category: stores that embed documents on upsert and search them by
// similarity, each offering a "retriever" and a "vectorStore" output.
//
// Every store implements [llm.VectorStore] and [llm.MMRSearcher] and passes
// llmtest.TestVectorStore. Scores are cosine similarities whatever the
// backend's metric. Node instances implement [llm.Upserter]; with a record
// manager connected they write through [llm.Index].
package vectorstores

import "github.com/floehq/floe/internal/node"

// Register adds every Vector Stores node to r.
func Register(r *node.Registry) {
	r.MustRegister(memoryVectorStore)
	r.MustRegister(faiss)
	r.MustRegister(embeddedVectorStore)
	r.MustRegister(postgres)
	r.MustRegister(qdrantNode)
	r.MustRegister(chromaNode)
	r.MustRegister(pineconeNode)
}
