// Package recordmanager holds the nodes of Flowise's "Record Manager"
// category: stores of which documents a vector store node has written
// (LangChain's record managers), so that [llm.Index] writes only changed
// documents and cleans up stale ones. Instances implement
// [llm.RecordManager], [llm.IndexOptionsProvider] (the cleanup and
// sourceIdKey inputs) and [llm.NamespaceScoper].
package recordmanager

import "github.com/floehq/floe/internal/node"

// Register adds every Record Manager node to r.
func Register(r *node.Registry) {
	r.MustRegister(sqliteRecordManager)
	r.MustRegister(postgresRecordManager)
}
