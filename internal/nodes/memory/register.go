// Package memory holds the nodes of Flowise's "Memory" category. Each
// node's Init returns an [llm.Memory]; every instance also has a
// MemoryKey() string method giving the node's memoryKey input (default
// "chat_history"), the prompt variable Flowise fills with the history.
//
// The session id always comes from the argument of Messages, Append and
// Clear: the chain passes the request's session. A sessionId hard-coded on
// a node is resolved by the server before the run (Flowise's
// getMemorySessionId), not here.
package memory

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	r.MustRegister(bufferMemory)
	r.MustRegister(bufferWindowMemory)
	r.MustRegister(conversationSummaryMemory)
	r.MustRegister(conversationSummaryBufferMemory)
	r.MustRegister(redisBackedChatMemory)
}
