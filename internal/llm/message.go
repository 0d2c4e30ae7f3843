package llm

// Role is the author of a [Message] in a conversation.
type Role string

// Roles a [Message] can have. They follow the OpenAI chat vocabulary; vendor
// providers translate them to their own (for example Flowise's "userMessage"
// and "apiMessage" history entries map to [RoleUser] and [RoleAssistant]).
const (
	// RoleSystem carries instructions that frame the conversation.
	RoleSystem Role = "system"
	// RoleUser is a human turn.
	RoleUser Role = "user"
	// RoleAssistant is a model turn.
	RoleAssistant Role = "assistant"
	// RoleTool carries the result of a tool call back to the model.
	RoleTool Role = "tool"
)

// Message is one turn of a conversation. The zero value is an empty message
// with no role, which providers reject.
type Message struct {
	Role    Role   `json:"role"`
	Content string `json:"content"`
}

// Document is a piece of text with metadata, as produced by loaders and
// splitters, stored in vector stores and returned by retrievers. Its JSON
// form matches LangChain's and Flowise's (pageContent, metadata), which is
// what Flowise clients receive in sourceDocuments.
//
// A nil Metadata means no metadata; code that adds keys must allocate it.
type Document struct {
	PageContent string         `json:"pageContent"`
	Metadata    map[string]any `json:"metadata"`
}
