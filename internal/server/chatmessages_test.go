package server

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

// msgSeed is a chatflow with eight messages and a second chatflow with
// one, all rated as noted:
//
//	#  day  role  chat  session  type      memory         feedback
//	0  1    user  c1    s1       INTERNAL  Buffer Memory
//	1  1    api   c1    s1       INTERNAL  Buffer Memory  THUMBS_UP
//	2  1    user  c1    s2       EXTERNAL
//	3  1    api   c1    s2       EXTERNAL                 THUMBS_DOWN
//	4  2    user  c2    s3       EXTERNAL
//	5  2    api   c2    s3       EXTERNAL                 THUMBS_UP
//	6  3    user  c2    s3       INTERNAL
//	7  3    api   c2    s3       INTERNAL
//
// Messages are a minute apart within a day; day 1 is 2025-06-01, from 12:00 UTC.
type msgSeed struct {
	flow, other string
	msgs        []*store.ChatMessage
	otherMsg    *store.ChatMessage
	rated       map[string]string // message id → rating
}

var seedBase = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func seedMessages(e *testEnv, key string) msgSeed {
	e.t.Helper()
	ctx := e.t.Context()
	cf := map[string]any{"name": "m", "flowData": minimalFlow}
	sd := msgSeed{
		flow:  createID(e, key, "/api/v1/chatflows", cf),
		other: createID(e, key, "/api/v1/chatflows", cf),
		rated: map[string]string{},
	}
	rows := []struct {
		day, min                      int
		role, chat, sess, typ, memory string
		rating                        string
	}{
		{0, 0, "userMessage", "c1", "s1", "INTERNAL", "Buffer Memory", ""},
		{0, 1, "apiMessage", "c1", "s1", "INTERNAL", "Buffer Memory", "THUMBS_UP"},
		{0, 2, "userMessage", "c1", "s2", "EXTERNAL", "", ""},
		{0, 3, "apiMessage", "c1", "s2", "EXTERNAL", "", "THUMBS_DOWN"},
		{1, 0, "userMessage", "c2", "s3", "EXTERNAL", "", ""},
		{1, 1, "apiMessage", "c2", "s3", "EXTERNAL", "", "THUMBS_UP"},
		{2, 0, "userMessage", "c2", "s3", "INTERNAL", "", ""},
		{2, 1, "apiMessage", "c2", "s3", "INTERNAL", "", ""},
	}
	for _, r := range rows {
		m := &store.ChatMessage{Role: r.role, ChatflowID: sd.flow, ChatID: r.chat, ChatType: r.typ, SessionID: &r.sess,
			Content: "text", CreatedDate: seedBase.Add(time.Duration(r.day)*24*time.Hour + time.Duration(r.min)*time.Minute)}
		if r.memory != "" {
			m.MemoryType = &r.memory
		}
		sd.msgs = append(sd.msgs, m)
	}
	a := sd.msgs[1]
	a.SourceDocuments = strPtr(`[{"pageContent":"x","metadata":{"page":1}}]`)
	a.UsedTools = strPtr(`[]`)
	a.Action = strPtr(`{"id":"act"}`)
	a.FollowUpPrompts = strPtr(`["more?"]`)
	a.FileUploads = strPtr(`not json`)
	a.ReasonContent = strPtr(``)
	sd.otherMsg = &store.ChatMessage{Role: "apiMessage", ChatflowID: sd.other, ChatID: "c1", SessionID: strPtr("s1"),
		ChatType: "INTERNAL", CreatedDate: seedBase}
	if err := e.db.AddChatMessages(ctx, append(sd.msgs, sd.otherMsg)...); err != nil {
		e.t.Fatalf("AddChatMessages: %v", err)
	}
	for i, r := range rows {
		if r.rating == "" {
			continue
		}
		m := sd.msgs[i]
		fb := &store.Feedback{ChatflowID: sd.flow, ChatID: m.ChatID, MessageID: m.ID, Rating: r.rating}
		if err := e.db.CreateFeedback(ctx, fb); err != nil {
			e.t.Fatalf("CreateFeedback: %v", err)
		}
		sd.rated[m.ID] = r.rating
	}
	fb := &store.Feedback{ChatflowID: sd.other, ChatID: "c1", MessageID: sd.otherMsg.ID, Rating: "THUMBS_UP"}
	if err := e.db.CreateFeedback(ctx, fb); err != nil {
		e.t.Fatalf("CreateFeedback: %v", err)
	}
	return sd
}

func strPtr(s string) *string { return &s }

func (sd msgSeed) ids(is ...int) []string {
	out := []string{}
	for _, i := range is {
		out = append(out, sd.msgs[i].ID)
	}
	return out
}

// listedIDs GETs the message list and returns the ids, checking that rows
// carry a feedback key exactly in feedback mode, with the right rating.
func listedIDs(t *testing.T, e *testEnv, key, path string, sd msgSeed, feedbackMode bool) []string {
	t.Helper()
	var rows []map[string]json.RawMessage
	e.mustOK(e.do(req{method: "GET", path: path, key: key}), &rows)
	ids := []string{}
	for _, row := range rows {
		var id string
		_ = json.Unmarshal(row["id"], &id)
		ids = append(ids, id)
		raw, ok := row["feedback"]
		if ok != feedbackMode {
			t.Errorf("message %s: feedback key present = %v, want %v", id, ok, feedbackMode)
			continue
		}
		if !ok {
			continue
		}
		var fb *struct{ Rating, MessageID string }
		if err := json.Unmarshal(raw, &fb); err != nil {
			t.Fatalf("decoding feedback %s: %v", raw, err)
		}
		want, rated := sd.rated[id]
		switch {
		case rated && (fb == nil || fb.Rating != want || fb.MessageID != id):
			t.Errorf("message %s: got feedback %s, want rating %s", id, raw, want)
		case !rated && fb != nil:
			t.Errorf("message %s: got feedback %s, want null", id, raw)
		}
	}
	return ids
}

func TestListChatMessages(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			key, _ := e.newKey("k", "")
			sd := seedMessages(e, key)
			all := sd.ids(0, 1, 2, 3, 4, 5, 6, 7)
			tests := []struct {
				name     string
				query    string
				feedback bool
				want     []string
			}{
				{"no filter", "", false, all},
				{"descending", "order=DESC", false, sd.ids(7, 6, 5, 4, 3, 2, 1, 0)},
				{"ascending, lower case", "order=asc", false, all},
				{"chat id", "chatId=c1", false, sd.ids(0, 1, 2, 3)},
				{"session id", "sessionId=s2", false, sd.ids(2, 3)},
				{"memory type", "memoryType=Buffer+Memory", false, sd.ids(0, 1)},
				{"message id", "messageId=" + sd.msgs[3].ID, false, sd.ids(3)},
				{"other chatflow's message id", "messageId=" + sd.otherMsg.ID, false, sd.ids()},
				{"chat type", "chatType=EXTERNAL", false, sd.ids(2, 3, 4, 5)},
				{"chat types as a JSON array", `chatType=["INTERNAL","EXTERNAL"]`, false, all},
				{"one chat type as a JSON array", `chatType=["INTERNAL"]`, false, sd.ids(0, 1, 6, 7)},
				{"repeated chat type", "chatType=INTERNAL&chatType=EXTERNAL", false, all},
				{"start date", "startDate=2025-06-02", false, sd.ids(4, 5, 6, 7)},
				{"end date inclusive", "endDate=2025-06-01T12:03:00.000Z", false, sd.ids(0, 1, 2, 3)},
				{"date range inclusive", "startDate=2025-06-01T12:01:00Z&endDate=2025-06-02T12:01:00Z", false, sd.ids(1, 2, 3, 4, 5)},
				{"date with offset", "startDate=2025-06-03T13:00:30%2B01:00", false, sd.ids(7)},
				{"chat and type", "chatId=c2&chatType=INTERNAL", false, sd.ids(6, 7)},
				{"chat, type, descending", "chatId=c1&chatType=EXTERNAL&order=DESC", false, sd.ids(3, 2)},
				{"session and dates", "sessionId=s3&endDate=2025-06-02T23:00:00Z", false, sd.ids(4, 5)},
				{"paging ignored outside feedback mode", "page=1&limit=1", false, all},
				{"feedbackType ignored outside feedback mode", "feedbackType=THUMBS_DOWN", false, all},

				{"feedback mode", "feedback=true", true, all},
				{"feedback=false is feedback mode too", "feedback=false", true, all},
				{"thumbs up with the question before", "feedback=1&feedbackType=THUMBS_UP", true, sd.ids(0, 1, 4, 5)},
				{"thumbs down", "feedback=1&feedbackType=THUMBS_DOWN", true, sd.ids(2, 3)},
				{"both ratings as an array", `feedback=1&feedbackType=["THUMBS_UP","THUMBS_DOWN"]`, true, sd.ids(0, 1, 2, 3, 4, 5)},
				{"both ratings repeated", "feedback=1&feedbackType=THUMBS_UP&feedbackType=THUMBS_DOWN", true, sd.ids(0, 1, 2, 3, 4, 5)},
				{"thumbs up, newest first", "feedback=1&feedbackType=THUMBS_UP&order=DESC", true, sd.ids(5, 4, 1, 0)},
				{"thumbs up in one chat", "feedback=1&feedbackType=THUMBS_UP&chatId=c2", true, sd.ids(4, 5)},
				{"first page of one session", "feedback=1&page=1&limit=1", true, sd.ids(0, 1)},
				{"second page of two sessions", "feedback=1&page=2&limit=2", true, sd.ids(4, 5, 6, 7)},
				{"first page, newest first", "feedback=1&page=1&limit=1&order=DESC", true, sd.ids(7, 6, 5, 4)},
				{"page over sessions rated so", "feedback=1&page=1&limit=1&feedbackType=THUMBS_DOWN", true, sd.ids(2, 3)},
				{"session id turns paging off", "feedback=1&page=1&limit=1&sessionId=s3", true, sd.ids(4, 5, 6, 7)},
				{"page 0 means no paging", "feedback=1&page=0&limit=5", true, all},
				{"page past the end", "feedback=1&page=7&limit=5", true, sd.ids()},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					path := "/api/v1/chatmessage/" + sd.flow + "?" + escapeQuery(tc.query)
					got := listedIDs(t, e, key, path, sd, tc.feedback)
					if diff := cmp.Diff(tc.want, got); diff != "" {
						t.Errorf("ids (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

// escapeQuery encodes the values of a readable query string.
func escapeQuery(q string) string {
	if q == "" {
		return ""
	}
	var parts []string
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		v = strings.ReplaceAll(v, "+", " ")
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

func TestChatMessageShape(t *testing.T) {
	e := newEnv(t, "sqlite")
	key, _ := e.newKey("k", "")
	sd := seedMessages(e, key)
	get := func(query string) req {
		return req{method: "GET", path: "/api/v1/chatmessage/" + sd.flow + "?" + query, key: key}
	}
	var rows []map[string]any
	e.mustOK(e.do(get("messageId="+sd.msgs[1].ID)), &rows)
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	got := rows[0]
	want := map[string]any{
		"id": sd.msgs[1].ID, "role": "apiMessage", "chatflowid": sd.flow, "executionId": nil, "content": "text",
		"sourceDocuments": []any{map[string]any{"pageContent": "x", "metadata": map[string]any{"page": float64(1)}}},
		"usedTools":       []any{}, "fileAnnotations": nil, "agentReasoning": nil, "reasonContent": "",
		"fileUploads": "not json", "artifacts": nil, "action": map[string]any{"id": "act"},
		"followUpPrompts": `["more?"]`, "chatType": "INTERNAL", "chatId": "c1", "memoryType": "Buffer Memory",
		"sessionId": "s1", "leadEmail": nil, "createdDate": "2025-06-01T12:01:00Z", "execution": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	var fb []map[string]any
	e.mustOK(e.do(get("feedback=true&messageId="+sd.msgs[1].ID)), &fb)
	f, _ := fb[0]["feedback"].(map[string]any)
	if f["rating"] != "THUMBS_UP" || f["messageId"] != sd.msgs[1].ID || f["chatflowid"] != sd.flow || f["chatId"] != "c1" {
		t.Errorf("got feedback %v, want the THUMBS_UP row of message %s", fb[0]["feedback"], sd.msgs[1].ID)
	}
}

func TestListChatMessagesBadInput(t *testing.T) {
	e := newEnv(t, "sqlite")
	key, _ := e.newKey("k", "")
	sd := seedMessages(e, key)
	base := "/api/v1/chatmessage/" + sd.flow + "?"
	tests := []struct {
		name, path string
		want       int
		inMsg      string
	}{
		{"bad chatflow id", "/api/v1/chatmessage/nope", 400, "Invalid Chatflow ID"},
		{"unknown chatflow", "/api/v1/chatmessage/6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11", 404, "not found"},
		{"unknown chat type", base + "chatType=NOPE", 400, "chatType"},
		{"chat type array not JSON", base + "chatType=" + url.QueryEscape("[INTERNAL"), 400, "chatType"},
		{"chat type array of numbers", base + "chatType=" + url.QueryEscape("[1]"), 400, "chatType"},
		{"unknown feedback type", base + "feedback=1&feedbackType=MEH", 400, "feedbackType"},
		{"bad order", base + "order=UP", 400, "order"},
		{"bad start date", base + "startDate=yesterday", 400, "startDate"},
		{"bad end date", base + "endDate=2025-13-01", 400, "endDate"},
		{"negative page", base + "feedback=1&page=-1&limit=2", 400, "page"},
		{"negative limit", base + "limit=-5", 400, "limit"},
		{"limit not a number", base + "feedback=1&page=1&limit=abc", 400, "limit"},
		{"limit too large", base + "feedback=1&page=1&limit=1001", 400, "limit"},
		{"message id not a UUID", base + "messageId=1%27%20OR%201=1", 400, "messageId"},
		{"chat id too long", base + "chatId=" + strings.Repeat("x", 257), 400, "chatId"},
		{"repeated chat id", base + "chatId=c1&chatId=c2", 400, "chatId"},
		{"bad date on delete", base + "startDate=soon", 400, "startDate"},
	}
	before := countMessages(e, sd.flow)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := "GET"
			if strings.HasPrefix(tc.name, "bad date on delete") {
				method = "DELETE"
			}
			checkError(t, e.do(req{method: method, path: tc.path, key: key}), tc.want, tc.inMsg)
		})
	}
	if after := countMessages(e, sd.flow); after != before {
		t.Errorf("got %d messages after bad requests, want %d", after, before)
	}
}

func countMessages(e *testEnv, flow string) int {
	e.t.Helper()
	msgs, err := e.db.ListChatMessages(e.t.Context(), store.ChatMessageFilter{ChatflowID: flow})
	if err != nil {
		e.t.Fatalf("ListChatMessages: %v", err)
	}
	return len(msgs)
}

func TestDeleteChatMessages(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			key, _ := e.newKey("k", "")
			tests := []struct {
				name     string
				query    string
				wantLeft []int // indexes of the messages left
			}{
				{"chat id", "chatId=c1", []int{4, 5, 6, 7}},
				{"chat and session: that session only", "chatId=c1&sessionId=s1", []int{2, 3, 4, 5, 6, 7}},
				{"session without chat: that session only", "sessionId=s2", []int{0, 1, 4, 5, 6, 7}},
				{"chat and memory type", "chatId=c1&memoryType=Buffer+Memory&isClearFromViewMessageDialog=true", []int{2, 3, 4, 5, 6, 7}},
				{"chat type", "chatType=EXTERNAL", []int{0, 1, 6, 7}},
				{"chat and chat types", `chatId=c2&chatType=["INTERNAL"]`, []int{0, 1, 2, 3, 4, 5}},
				{"date range", "startDate=2025-06-02&endDate=2025-06-02T23:59:59Z", []int{0, 1, 2, 3, 6, 7}},
				{"one date bound with a chat id", "chatId=c2&startDate=2025-06-03", []int{0, 1, 2, 3, 4, 5}},
				{"end date only", "endDate=2025-06-01T12:01:00Z", []int{2, 3, 4, 5, 6, 7}},
				{"thumbs up and the questions before", "feedbackType=THUMBS_UP", []int{2, 3, 6, 7}},
				{"hard delete of a session", "hardDelete=true&sessionId=s3", []int{0, 1, 2, 3}},
				{"hard delete of everything", "hardDelete=true", []int{}},
				{"message id", "messageId=", []int{0, 1, 2, 4, 5, 6, 7}}, // id of #3 filled in below
				{"nothing matches", "chatType=MCP", []int{0, 1, 2, 3, 4, 5, 6, 7}},
				{"no chat matches", "chatId=nobody", []int{0, 1, 2, 3, 4, 5, 6, 7}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					sd := seedMessages(e, key)
					q := tc.query
					if q == "messageId=" {
						q += sd.msgs[3].ID
					}
					var res deleteResult
					e.mustOK(e.do(req{method: "DELETE", path: "/api/v1/chatmessage/" + sd.flow + "?" + escapeQuery(q), key: key}), &res)
					if want := 8 - len(tc.wantLeft); res.Affected != want || res.Raw == nil {
						t.Errorf("got %+v, want {raw:[] affected:%d}", res, want)
					}
					left, err := e.db.ListRatedChatMessages(t.Context(), store.RatedMessageFilter{
						ChatMessageFilter: store.ChatMessageFilter{ChatflowID: sd.flow}})
					if err != nil {
						t.Fatalf("ListRatedChatMessages: %v", err)
					}
					var gotLeft []string
					wantFeedback := 0
					for _, m := range left {
						gotLeft = append(gotLeft, m.ID)
						if _, ok := sd.rated[m.ID]; ok {
							wantFeedback++
							if m.Feedback == nil {
								t.Errorf("message %s lost its feedback", m.ID)
							}
						}
					}
					if diff := cmp.Diff(sd.ids(tc.wantLeft...), append([]string{}, gotLeft...)); diff != "" {
						t.Errorf("messages left (-want +got):\n%s", diff)
					}
					// Feedback goes with its messages and nothing else.
					fbs, err := e.db.ListFeedback(t.Context(), store.FeedbackFilter{ChatflowID: sd.flow})
					if err != nil {
						t.Fatalf("ListFeedback: %v", err)
					}
					if len(fbs) != wantFeedback {
						t.Errorf("got %d feedback rows, want %d", len(fbs), wantFeedback)
					}
					// The other chatflow is never touched.
					other, err := e.db.ListRatedChatMessages(t.Context(), store.RatedMessageFilter{
						ChatMessageFilter: store.ChatMessageFilter{ChatflowID: sd.other}})
					if err != nil {
						t.Fatalf("ListRatedChatMessages: %v", err)
					}
					if len(other) != 1 || other[0].Feedback == nil {
						t.Errorf("other chatflow: got %d messages (%+v), want its one rated message", len(other), other)
					}
				})
			}
		})
	}
}
