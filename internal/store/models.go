package store

import (
	"errors"
	"time"
)

// Sentinel errors returned by [DB] methods. Callers test them with errors.Is.
var (
	// ErrNotFound reports that no row has the requested id (or key).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict reports a unique-constraint violation (for example a second
	// feedback row for the same message).
	ErrConflict = errors.New("store: conflict")
)

// Chatflow types stored in chat_flow.type, as Flowise names them.
const (
	TypeChatflow   = "CHATFLOW"
	TypeAgentflow  = "AGENTFLOW"
	TypeMultiAgent = "MULTIAGENT"
	TypeAssistant  = "ASSISTANT"
)

// ChatFlow is a row of chat_flow. Nullable text columns are *string: nil is
// SQL NULL and JSON null. JSON-valued columns (ChatbotConfig, APIConfig, ...)
// hold the JSON text exactly as the client sent it.
type ChatFlow struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	FlowData        string    `json:"flowData"`
	Deployed        *bool     `json:"deployed"`
	IsPublic        *bool     `json:"isPublic"`
	APIKeyID        *string   `json:"apikeyid"`
	ChatbotConfig   *string   `json:"chatbotConfig"`
	APIConfig       *string   `json:"apiConfig"`
	Analytic        *string   `json:"analytic"`
	SpeechToText    *string   `json:"speechToText"`
	TextToSpeech    *string   `json:"textToSpeech"`
	FollowUpPrompts *string   `json:"followUpPrompts"`
	Category        *string   `json:"category"`
	Type            string    `json:"type"`
	MCPServerConfig *string   `json:"mcpServerConfig"`
	WorkspaceID     string    `json:"workspaceId"`
	CreatedDate     time.Time `json:"createdDate"`
	UpdatedDate     time.Time `json:"updatedDate"`
}

// ChatFlowFilter selects chatflows for [DB.ListChatFlows]. Zero values mean
// "no filter"; Limit 0 means no limit.
type ChatFlowFilter struct {
	Type   string
	Limit  int
	Offset int
}

// APIKey is a row of apikey. The plaintext key is never stored: KeyHash is
// the hex SHA-256 of the key (the lookup column), APISecret the scrypt hash
// in Flowise's "hex(scrypt(key, salt, 64)).salt" format, and KeyPreview a
// masked form safe to list ("abcd…wxyz").
type APIKey struct {
	ID          string    `json:"id"`
	KeyName     string    `json:"keyName"`
	KeyPreview  string    `json:"apiKey"`
	KeyHash     string    `json:"-"`
	APISecret   string    `json:"-"`
	Permissions string    `json:"-"` // JSON array text, default "[]"
	WorkspaceID string    `json:"workspaceId"`
	CreatedDate time.Time `json:"createdAt"`
	UpdatedDate time.Time `json:"updatedDate"`
}

// Variable is a row of variable. Type is "static" or "runtime".
type Variable struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Value       *string   `json:"value"`
	Type        string    `json:"type"`
	WorkspaceID string    `json:"workspaceId"`
	CreatedDate time.Time `json:"createdDate"`
	UpdatedDate time.Time `json:"updatedDate"`
}

// Credential is a row of credential. EncryptedData is ciphertext produced by
// the credentials package; the store never sees plaintext.
type Credential struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	CredentialName string    `json:"credentialName"`
	EncryptedData  string    `json:"-"`
	WorkspaceID    string    `json:"workspaceId"`
	CreatedDate    time.Time `json:"createdDate"`
	UpdatedDate    time.Time `json:"updatedDate"`
}

// Tool is a row of tool (a custom JavaScript tool).
type Tool struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Color       string    `json:"color"`
	IconSrc     *string   `json:"iconSrc"`
	Schema      *string   `json:"schema"`
	Func        *string   `json:"func"`
	WorkspaceID string    `json:"workspaceId"`
	CreatedDate time.Time `json:"createdDate"`
	UpdatedDate time.Time `json:"updatedDate"`
}

// ChatMessage is a row of chat_message. The JSON-valued columns hold JSON
// text (nil when absent).
type ChatMessage struct {
	ID              string    `json:"id"`
	Role            string    `json:"role"` // "apiMessage" or "userMessage"
	ChatflowID      string    `json:"chatflowid"`
	ExecutionID     *string   `json:"executionId"`
	Content         string    `json:"content"`
	SourceDocuments *string   `json:"sourceDocuments"`
	UsedTools       *string   `json:"usedTools"`
	FileAnnotations *string   `json:"fileAnnotations"`
	AgentReasoning  *string   `json:"agentReasoning"`
	ReasonContent   *string   `json:"reasonContent"`
	FileUploads     *string   `json:"fileUploads"`
	Artifacts       *string   `json:"artifacts"`
	Action          *string   `json:"action"`
	FollowUpPrompts *string   `json:"followUpPrompts"`
	ChatType        string    `json:"chatType"`
	ChatID          string    `json:"chatId"`
	MemoryType      *string   `json:"memoryType"`
	SessionID       *string   `json:"sessionId"`
	LeadEmail       *string   `json:"leadEmail"`
	CreatedDate     time.Time `json:"createdDate"`
}

// ChatMessageFilter selects messages of one chatflow for
// [DB.ListChatMessages]. Empty fields do not filter.
type ChatMessageFilter struct {
	ChatflowID string
	ChatID     string
	SessionID  string
	ChatTypes  []string
	MemoryType string
	MessageID  string
	StartDate  *time.Time
	EndDate    *time.Time
	Descending bool // newest first when true, oldest first otherwise
	Limit      int  // 0 means no limit
}

// Feedback ratings stored in chat_message_feedback.rating.
const (
	RatingThumbsUp   = "THUMBS_UP"
	RatingThumbsDown = "THUMBS_DOWN"
)

// Feedback is a row of chat_message_feedback: a rating of one message. A
// message has at most one feedback row (messageId is unique).
type Feedback struct {
	ID          string    `json:"id"`
	ChatflowID  string    `json:"chatflowid"`
	ChatID      string    `json:"chatId"`
	MessageID   string    `json:"messageId"`
	Rating      string    `json:"rating"` // RatingThumbsUp or RatingThumbsDown
	Content     *string   `json:"content"`
	CreatedDate time.Time `json:"createdDate"`
}

// FeedbackFilter selects the feedback of one chatflow for
// [DB.ListFeedback]. Empty fields do not filter.
type FeedbackFilter struct {
	ChatflowID string // required
	ChatID     string
	StartDate  *time.Time // inclusive
	EndDate    *time.Time // inclusive
	Descending bool       // newest first when true, oldest first otherwise
}

// RatedMessage is a chat message with the feedback given on it; Feedback is
// nil when the message has none.
type RatedMessage struct {
	ChatMessage
	Feedback *Feedback
}

// RatedMessageFilter selects messages for [DB.ListRatedChatMessages],
// Flowise's feedback mode of the Message API.
type RatedMessageFilter struct {
	// ChatMessageFilter selects the messages; its Limit is ignored.
	ChatMessageFilter
	// Ratings, when set, keeps only the apiMessages rated with one of them,
	// each with the message just before it in its session. Messages rated
	// otherwise are left out before "just before" is worked out, and
	// messages without a session id are dropped.
	Ratings []string
	// Page and PageSize, when both are positive, page over sessions instead
	// of messages: sessions (never the null one) are ordered by their latest
	// matching message, in the filter's direction, and every matching
	// message of the sessions on page Page (counted from 1) is returned.
	// With Ratings, only sessions holding a message rated so count.
	Page, PageSize int
}

// Lead is a row of lead: contact details left in a chat.
type Lead struct {
	ID          string    `json:"id"`
	Name        *string   `json:"name"`
	Email       *string   `json:"email"`
	Phone       *string   `json:"phone"`
	ChatflowID  string    `json:"chatflowid"`
	ChatID      string    `json:"chatId"`
	CreatedDate time.Time `json:"createdDate"`
}
