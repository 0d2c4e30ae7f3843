package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

func TestFeedback(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			key, _ := e.newKey("k", "")
			sd := seedMessages(e, key)
			// Unrated answers to rate; no credentials: the widget has none.
			a, b := sd.msgs[7], sd.msgs[6]

			var created store.Feedback
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/feedback", body: map[string]any{
				"chatflowid": sd.flow, "chatId": "c2", "messageId": a.ID, "rating": "THUMBS_UP", "content": "",
			}}), &created)
			want := store.Feedback{ChatflowID: sd.flow, ChatID: "c2", MessageID: a.ID, Rating: "THUMBS_UP", Content: strPtr("")}
			if diff := cmp.Diff(want, created, cmpopts.IgnoreFields(store.Feedback{}, "ID", "CreatedDate")); diff != "" {
				t.Errorf("created feedback (-want +got):\n%s", diff)
			}
			if !uuidRE.MatchString(created.ID) || created.CreatedDate.IsZero() {
				t.Errorf("got id %q and date %v, want a UUID and a date", created.ID, created.CreatedDate)
			}
			// The widget's form: chatflow in the path, no chatflowid in the body.
			var widget store.Feedback
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/feedback/" + sd.flow, body: map[string]any{
				"chatId": "c2", "messageId": b.ID, "rating": "THUMBS_DOWN",
			}}), &widget)
			if widget.ChatflowID != sd.flow || widget.Rating != "THUMBS_DOWN" || widget.Content != nil {
				t.Errorf("got %+v, want THUMBS_DOWN feedback on chatflow %s without content", widget, sd.flow)
			}

			var status map[string]string
			e.mustOK(e.do(req{method: "PUT", path: "/api/v1/feedback/" + created.ID, body: map[string]any{
				"content": "great answer", "chatId": "c2",
			}}), &status)
			if status["status"] != "OK" {
				t.Errorf("got %v, want status OK", status)
			}
			e.mustOK(e.do(req{method: "PUT", path: "/api/v1/feedback/" + widget.ID, body: map[string]any{"rating": "THUMBS_UP"}}), nil)
			got, err := e.db.GetFeedback(t.Context(), created.ID)
			if err != nil {
				t.Fatalf("GetFeedback: %v", err)
			}
			want = created
			want.Content = strPtr("great answer")
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("updated feedback (-want +got):\n%s", diff)
			}

			// Listing needs admin credentials.
			if r := e.do(req{method: "GET", path: "/api/v1/feedback/" + sd.flow}); r.status != http.StatusUnauthorized {
				t.Errorf("GET feedback without credentials: got %d, want 401", r.status)
			}
			all := []string{sd.msgs[1].ID, sd.msgs[3].ID, sd.msgs[5].ID, a.ID, b.ID} // by creation
			tests := []struct {
				name, query string
				want        []string // message ids
			}{
				{"all, oldest first", "", all},
				{"newest first", "?order=DESC", []string{b.ID, a.ID, sd.msgs[5].ID, sd.msgs[3].ID, sd.msgs[1].ID}},
				{"chat id", "?chatId=c1", []string{sd.msgs[1].ID, sd.msgs[3].ID}},
				{"start date", "?startDate=" + created.CreatedDate.Format("2006-01-02T15:04:05.000Z"), []string{a.ID, b.ID}},
				{"end date before everything", "?endDate=2020-01-01", []string{}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					var fbs []store.Feedback
					e.mustOK(e.do(req{method: "GET", path: "/api/v1/feedback/" + sd.flow + tc.query, key: key}), &fbs)
					ids := []string{}
					for _, f := range fbs {
						ids = append(ids, f.MessageID)
					}
					if diff := cmp.Diff(tc.want, ids); diff != "" {
						t.Errorf("message ids (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

func TestFeedbackBadInput(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			key, _ := e.newKey("k", "")
			sd := seedMessages(e, key)
			msg := sd.msgs[7] // unrated, chat c2
			rated := sd.msgs[1]
			missing := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
			ok := func(extra map[string]any) map[string]any {
				b := map[string]any{"chatflowid": sd.flow, "chatId": "c2", "messageId": msg.ID, "rating": "THUMBS_UP"}
				for k, v := range extra {
					if v == nil {
						delete(b, k)
					} else {
						b[k] = v
					}
				}
				return b
			}
			fbs, err := e.db.ListFeedback(t.Context(), store.FeedbackFilter{ChatflowID: sd.flow, ChatID: "c1"})
			if err != nil || len(fbs) == 0 || fbs[0].MessageID != rated.ID {
				t.Fatalf("ListFeedback: got %+v, %v, want the feedback of message %s first", fbs, err, rated.ID)
			}
			fbID := fbs[0].ID
			tests := []struct {
				name, method, path string
				body               any
				want               int
				inMsg              string
			}{
				{"missing messageId", "POST", "/api/v1/feedback", ok(map[string]any{"messageId": nil}), 400, `"messageId" is required`},
				{"messageId not a UUID", "POST", "/api/v1/feedback", ok(map[string]any{"messageId": "abc"}), 400, "UUID"},
				{"unknown message", "POST", "/api/v1/feedback", ok(map[string]any{"messageId": missing}), 404, "Message with ID " + missing},
				{"message of another chatflow", "POST", "/api/v1/feedback", ok(map[string]any{"chatflowid": sd.other}), 400, "Inconsistent chatflow ID"},
				{"path chatflow of another", "POST", "/api/v1/feedback/" + sd.other, ok(map[string]any{"chatflowid": nil}), 400, "Inconsistent chatflow ID"},
				{"path and body disagree", "POST", "/api/v1/feedback/" + sd.other, ok(nil), 400, "differs"},
				{"message of another chat", "POST", "/api/v1/feedback", ok(map[string]any{"chatId": "c1"}), 400, "Inconsistent chat ID"},
				{"bad rating", "POST", "/api/v1/feedback", ok(map[string]any{"rating": "MEH"}), 400, `"rating"`},
				{"missing rating", "POST", "/api/v1/feedback", ok(map[string]any{"rating": nil}), 400, `"rating"`},
				{"rating of wrong type", "POST", "/api/v1/feedback", ok(map[string]any{"rating": 1}), 400, `"rating"`},
				{"oversized content", "POST", "/api/v1/feedback", ok(map[string]any{"content": strings.Repeat("x", 4097)}), 400, `"content"`},
				{"chatflowid not a UUID", "POST", "/api/v1/feedback", ok(map[string]any{"chatflowid": "x"}), 400, "Invalid Chatflow ID"},
				{"path id not a UUID", "POST", "/api/v1/feedback/x", ok(nil), 400, "Invalid Chatflow ID"},
				{"chat id too long", "POST", "/api/v1/feedback", ok(map[string]any{"chatId": strings.Repeat("c", 300)}), 400, `"chatId"`},
				{"malformed JSON", "POST", "/api/v1/feedback", `{"messageId":`, 400, "malformed JSON"},
				{"second feedback on a message", "POST", "/api/v1/feedback", map[string]any{"messageId": rated.ID, "rating": "THUMBS_DOWN"}, 409, "already has feedback"},
				{"update: unknown id", "PUT", "/api/v1/feedback/" + missing, map[string]any{"rating": "THUMBS_UP"}, 404, "Feedback with ID " + missing},
				{"update: id not a UUID", "PUT", "/api/v1/feedback/abc", map[string]any{"rating": "THUMBS_UP"}, 400, "Invalid Feedback ID"},
				{"update: bad rating", "PUT", "/api/v1/feedback/" + fbID, map[string]any{"rating": "MEH"}, 400, `"rating"`},
				{"update: oversized content", "PUT", "/api/v1/feedback/" + fbID, map[string]any{"content": strings.Repeat("x", 5000)}, 400, `"content"`},
				{"update: move to another message", "PUT", "/api/v1/feedback/" + fbID, map[string]any{"messageId": msg.ID}, 400, "cannot be moved"},
				{"update: another chatflow", "PUT", "/api/v1/feedback/" + fbID, map[string]any{"chatflowid": sd.other}, 400, "Inconsistent chatflow ID"},
				{"update: malformed JSON", "PUT", "/api/v1/feedback/" + fbID, `{`, 400, "malformed JSON"},
				{"list: bad chatflow id", "GET", "/api/v1/feedback/abc", nil, 400, "Invalid Chatflow ID"},
				{"list: unknown chatflow", "GET", "/api/v1/feedback/" + missing, nil, 404, missing},
				{"list: bad date", "GET", "/api/v1/feedback/" + sd.flow + "?startDate=today", nil, 400, "startDate"},
				{"list: bad order", "GET", "/api/v1/feedback/" + sd.flow + "?order=sideways", nil, 400, "order"},
			}
			before, err := e.db.ListFeedback(t.Context(), store.FeedbackFilter{ChatflowID: sd.flow})
			if err != nil {
				t.Fatalf("ListFeedback: %v", err)
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					rq := req{method: tc.method, path: tc.path, body: tc.body}
					if tc.method == "GET" {
						rq.key = key
					}
					checkError(t, e.do(rq), tc.want, tc.inMsg)
				})
			}
			after, err := e.db.ListFeedback(t.Context(), store.FeedbackFilter{ChatflowID: sd.flow})
			if err != nil {
				t.Fatalf("ListFeedback: %v", err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("feedback changed by bad requests (-before +after):\n%s", diff)
			}
		})
	}
}
