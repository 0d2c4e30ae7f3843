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
	// Images are pictures the user attached to this turn (chat uploads),
	// sent to vision models as the provider's image parts. Models without
	// image support ignore them.
	Images []Image `json:"images,omitempty"`
}

// Image is a picture attached to a [Message]. Either Data holds the bytes
// (an upload, or a stored upload replayed from history) or URL names a
// remote image. Providers that accept image URLs pass URL through; the
// others need Data, which the node fetches through the runtime's
// SSRF-guarded client.
type Image struct {
	// MIME is the media type, e.g. "image/png".
	MIME string `json:"mime"`
	// Data is the raw image (not base64).
	Data []byte `json:"-"`
	// URL is an http(s) URL of the image when Data is nil.
	URL string `json:"url,omitempty"`
	// Detail is OpenAI's image detail ("auto", "low", "high"); "" sends
	// none, which OpenAI reads as auto. Flowise 3.0's imageResolution input
	// set it; Flowise 3.1 dropped that input, so Floe's nodes leave it
	// empty. Vendors without the notion ignore it.
	Detail string `json:"detail,omitempty"`
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
