package server

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/store"
)

// messageChatTypes are the chat_message.chatType values (Flowise's ChatType).
var messageChatTypes = []string{"INTERNAL", "EXTERNAL", "EVALUATION", "MCP", "SCHEDULED", "WEBHOOK"}

// feedbackRatings are the chat_message_feedback.rating values.
var feedbackRatings = []string{store.RatingThumbsUp, store.RatingThumbsDown}

// Bounds on free-text identifiers taken from requests.
const (
	maxChatIDLen = 256  // chatId, sessionId, memoryType
	maxTextLen   = 1024 // lead name, email and phone
)

// messageQuery is the query string of the Message API (reference §7).
type messageQuery struct {
	filter       store.ChatMessageFilter
	feedback     bool     // feedback mode: rows carry their feedback
	ratings      []string // feedbackType
	page, limit  int      // feedback mode only; 0 means no paging
	hardDelete   bool
	fromViewList bool // isClearFromViewMessageDialog
}

// parseMessageQuery reads and validates the Message API's query
// parameters for the chatflow chatflowID.
func parseMessageQuery(q url.Values, chatflowID string) (messageQuery, error) {
	mq := messageQuery{filter: store.ChatMessageFilter{ChatflowID: chatflowID}}
	for _, p := range []struct {
		name string
		dst  *string
	}{
		{"chatId", &mq.filter.ChatID}, {"sessionId", &mq.filter.SessionID}, {"memoryType", &mq.filter.MemoryType},
	} {
		v, err := queryOnce(q, p.name)
		if err != nil {
			return mq, err
		}
		if len(v) > maxChatIDLen {
			return mq, errorf(http.StatusBadRequest, "query parameter %q is longer than %d bytes", p.name, maxChatIDLen)
		}
		*p.dst = v
	}
	id, err := queryOnce(q, "messageId")
	if err != nil {
		return mq, err
	}
	if id != "" && !uuidRE.MatchString(id) {
		return mq, errorf(http.StatusBadRequest, "query parameter %q must be a UUID", "messageId")
	}
	mq.filter.MessageID = id
	if mq.filter.ChatTypes, err = queryEnum(q, "chatType", messageChatTypes); err != nil {
		return mq, err
	}
	if mq.ratings, err = queryEnum(q, "feedbackType", feedbackRatings); err != nil {
		return mq, err
	}
	if mq.filter.Descending, err = queryOrder(q); err != nil {
		return mq, err
	}
	if mq.filter.StartDate, mq.filter.EndDate, err = queryDates(q); err != nil {
		return mq, err
	}
	// limit sessions are listed in one IN (...), so it stays well under the
	// databases' limits on bound parameters.
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"page", &mq.page, 1_000_000}, {"limit", &mq.limit, 1000}} {
		v, err := queryOnce(q, p.name)
		if err != nil {
			return mq, err
		}
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > p.max {
			return mq, errorf(http.StatusBadRequest, "query parameter %q must be an integer from 0 to %d", p.name, p.max)
		}
		*p.dst = n
	}
	mq.feedback = q.Get("feedback") != ""
	mq.hardDelete = queryFlag(q.Get("hardDelete"))
	mq.fromViewList = queryFlag(q.Get("isClearFromViewMessageDialog"))
	return mq, nil
}

// queryFlag reads a boolean query parameter: set unless empty, "false" or "0".
func queryFlag(v string) bool {
	return v != "" && !strings.EqualFold(v, "false") && v != "0"
}

// queryOnce returns the value of a query parameter that may appear once.
func queryOnce(q url.Values, name string) (string, error) {
	vs := q[name]
	if len(vs) > 1 {
		return "", errorf(http.StatusBadRequest, "query parameter %q must be given once", name)
	}
	if len(vs) == 0 {
		return "", nil
	}
	return vs[0], nil
}

// queryEnum reads a list parameter the ways Flowise accepts one: repeated
// (?t=A&t=B), as a JSON array (?t=["A","B"]) or as a single value. Every
// value must be one of allowed; duplicates are dropped.
func queryEnum(q url.Values, name string, allowed []string) ([]string, error) {
	var out []string
	for _, v := range q[name] {
		vals := []string{v}
		if strings.HasPrefix(strings.TrimSpace(v), "[") {
			if err := json.Unmarshal([]byte(v), &vals); err != nil {
				return nil, errorf(http.StatusBadRequest, "query parameter %q: %q is not a JSON array of strings", name, v)
			}
		}
		for _, s := range vals {
			if !slices.Contains(allowed, s) {
				return nil, errorf(http.StatusBadRequest, "query parameter %q: %q is not one of %s", name, s, strings.Join(allowed, ", "))
			}
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// queryOrder reads ?order=ASC|DESC (any case; ASC when absent) and reports
// whether it is descending.
func queryOrder(q url.Values) (bool, error) {
	v, err := queryOnce(q, "order")
	if err != nil {
		return false, err
	}
	switch strings.ToUpper(v) {
	case "", "ASC":
		return false, nil
	case "DESC":
		return true, nil
	}
	return false, errorf(http.StatusBadRequest, "query parameter %q must be ASC or DESC", "order")
}

// queryDates reads ?startDate and ?endDate; either may be absent.
func queryDates(q url.Values) (start, end *time.Time, err error) {
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"startDate", &start}, {"endDate", &end}} {
		v, err := queryOnce(q, p.name)
		if err != nil {
			return nil, nil, err
		}
		if v == "" {
			continue
		}
		t, err := parseISODate(v)
		if err != nil {
			return nil, nil, errorf(http.StatusBadRequest, "query parameter %q: %q is not an ISO 8601 date", p.name, v)
		}
		*p.dst = &t
	}
	return start, end, nil
}

// isoLayouts are the forms of ISO 8601 that Flowise's clients send (a
// JavaScript Date's toISOString, a date, a date and time without zone).
// Times without a zone are UTC.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"}

func parseISODate(v string) (time.Time, error) {
	var err error
	for _, l := range isoLayouts {
		var t time.Time
		if t, err = time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// messageView is a chat_message row as Flowise's Message API returns it:
// JSON-valued columns parsed, followUpPrompts left as text.
type messageView struct {
	ID              string          `json:"id"`
	Role            string          `json:"role"`
	ChatflowID      string          `json:"chatflowid"`
	ExecutionID     *string         `json:"executionId"`
	Content         string          `json:"content"`
	SourceDocuments json.RawMessage `json:"sourceDocuments"`
	UsedTools       json.RawMessage `json:"usedTools"`
	FileAnnotations json.RawMessage `json:"fileAnnotations"`
	AgentReasoning  json.RawMessage `json:"agentReasoning"`
	ReasonContent   json.RawMessage `json:"reasonContent"`
	FileUploads     json.RawMessage `json:"fileUploads"`
	Artifacts       json.RawMessage `json:"artifacts"`
	Action          json.RawMessage `json:"action"`
	FollowUpPrompts *string         `json:"followUpPrompts"`
	ChatType        string          `json:"chatType"`
	ChatID          string          `json:"chatId"`
	MemoryType      *string         `json:"memoryType"`
	SessionID       *string         `json:"sessionId"`
	LeadEmail       *string         `json:"leadEmail"`
	CreatedDate     time.Time       `json:"createdDate"`
	// Execution is always null: Floe does not load execution rows yet.
	Execution any `json:"execution"`
}

// ratedMessageView is a messageView in feedback mode.
type ratedMessageView struct {
	messageView
	Feedback *store.Feedback `json:"feedback"`
}

func newMessageView(m store.ChatMessage) messageView {
	return messageView{
		ID: m.ID, Role: m.Role, ChatflowID: m.ChatflowID, ExecutionID: m.ExecutionID, Content: m.Content,
		SourceDocuments: parsedColumn(m.SourceDocuments), UsedTools: parsedColumn(m.UsedTools),
		FileAnnotations: parsedColumn(m.FileAnnotations), AgentReasoning: parsedColumn(m.AgentReasoning),
		ReasonContent: parsedColumn(m.ReasonContent), FileUploads: parsedColumn(m.FileUploads),
		Artifacts: parsedColumn(m.Artifacts), Action: parsedColumn(m.Action), FollowUpPrompts: m.FollowUpPrompts,
		ChatType: m.ChatType, ChatID: m.ChatID, MemoryType: m.MemoryType, SessionID: m.SessionID,
		LeadEmail: m.LeadEmail, CreatedDate: m.CreatedDate,
	}
}

// parsedColumn renders a JSON-valued text column as Flowise does: parsed
// when it holds JSON, as the string itself otherwise (empty included), null
// when NULL.
func parsedColumn(s *string) json.RawMessage {
	if s == nil {
		return json.RawMessage("null")
	}
	if *s != "" && json.Valid([]byte(*s)) {
		return json.RawMessage(*s)
	}
	b, _ := json.Marshal(*s)
	return b
}

// listChatMessages is GET /api/v1/chatmessage/{id} (reference §7.1).
func (s *Server) listChatMessages(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	mq, err := parseMessageQuery(r.URL.Query(), cf.ID)
	if err != nil {
		return err
	}
	if !mq.feedback {
		msgs, err := s.db.ListChatMessages(r.Context(), mq.filter)
		if err != nil {
			return err
		}
		out := make([]messageView, len(msgs))
		for i, m := range msgs {
			out[i] = newMessageView(m)
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
	msgs, err := s.db.ListRatedChatMessages(r.Context(), mq.ratedFilter())
	if err != nil {
		return err
	}
	out := make([]ratedMessageView, len(msgs))
	for i, m := range msgs {
		out[i] = ratedMessageView{messageView: newMessageView(m.ChatMessage), Feedback: m.Feedback}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ratedFilter is the feedback-mode selection. As in Flowise, a session or
// message id turns paging off.
func (mq messageQuery) ratedFilter() store.RatedMessageFilter {
	f := store.RatedMessageFilter{ChatMessageFilter: mq.filter, Ratings: mq.ratings}
	if mq.filter.SessionID == "" && mq.filter.MessageID == "" {
		f.Page, f.PageSize = mq.page, mq.limit
	}
	return f
}

// deleteChatMessages is DELETE /api/v1/chatmessage/{id} (reference §7.2),
// with Floe's fixes: every delete is limited to the chatflow and to the
// filters given (a sessionId deletes that session only, one date bound
// applies on its own), and feedback goes only with its own messages, in the
// same transaction.
//
// With chatId, the chat's memory is cleared and the matching rows deleted.
// Without it, the matching messages are selected first (with feedbackType,
// as in feedback mode), their memories cleared per (chat, memory type,
// session) when hardDelete is set, and those messages deleted by id.
func (s *Server) deleteChatMessages(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	mq, err := parseMessageQuery(r.URL.Query(), cf.ID)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if mq.filter.ChatID != "" {
		session := cmp.Or(mq.filter.SessionID, mq.filter.ChatID)
		if err := s.clearFlowMemory(ctx, cf, session, mq.memoryLabel(mq.filter.MemoryType)); err != nil {
			return errClearingMemory(err)
		}
		n, err := s.db.DeleteChatMessages(ctx, mq.filter)
		if err != nil {
			return err
		}
		s.deleteChatUploads(ctx, cf.ID, mq.filter.ChatID)
		writeJSON(w, http.StatusOK, deleteResult{Raw: []any{}, Affected: int(n)})
		return nil
	}
	var msgs []store.ChatMessage
	if len(mq.ratings) > 0 {
		rated, err := s.db.ListRatedChatMessages(ctx, store.RatedMessageFilter{ChatMessageFilter: mq.filter, Ratings: mq.ratings})
		if err != nil {
			return err
		}
		for _, m := range rated {
			msgs = append(msgs, m.ChatMessage)
		}
	} else if msgs, err = s.db.ListChatMessages(ctx, mq.filter); err != nil {
		return err
	}
	if len(msgs) == 0 {
		writeJSON(w, http.StatusOK, deleteResult{Raw: []any{}})
		return nil
	}
	if mq.hardDelete {
		type group struct{ chat, memory, session string }
		seen := map[group]bool{}
		for _, m := range msgs {
			g := group{m.ChatID, strValue(m.MemoryType), strValue(m.SessionID)}
			if seen[g] {
				continue
			}
			seen[g] = true
			if err := s.clearFlowMemory(ctx, cf, cmp.Or(g.session, g.chat), mq.memoryLabel(g.memory)); err != nil {
				return errClearingMemory(err)
			}
		}
	}
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	n, err := s.db.DeleteChatMessagesByID(ctx, cf.ID, ids)
	if err != nil {
		return err
	}
	chats := map[string]bool{}
	for _, m := range msgs {
		if !chats[m.ChatID] {
			chats[m.ChatID] = true
			s.deleteChatUploads(ctx, cf.ID, m.ChatID)
		}
	}
	writeJSON(w, http.StatusOK, deleteResult{Raw: []any{}, Affected: int(n)})
	return nil
}

// deleteChatUploads removes the files uploaded in a chat whose messages
// were deleted, as Flowise does. The messages are gone already, so a
// storage failure is logged, not returned.
func (s *Server) deleteChatUploads(ctx context.Context, chatflowID, chatID string) {
	if blob.CheckChatID(chatID) != nil {
		return // never stored: uploads need a storable chat id
	}
	if err := s.blobs.DeleteChat(context.WithoutCancel(ctx), chatflowID, chatID); err != nil {
		s.log.WarnContext(ctx, "deleting a chat's uploads", "chatflow", chatflowID, "chatId", chatID, "err", err)
	}
}

// memoryLabel is the memory node label to clear: as in Flowise, memoryType
// limits the clearing only when the request comes from the view-messages
// dialog.
func (mq messageQuery) memoryLabel(memoryType string) string {
	if mq.fromViewList {
		return memoryType
	}
	return ""
}

func errClearingMemory(err error) error {
	return &apiError{Status: http.StatusInternalServerError, Message: "Error clearing chat messages", Err: err}
}

func strValue(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
