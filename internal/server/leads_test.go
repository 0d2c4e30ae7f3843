package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

func TestLeads(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			key, _ := e.newKey("k", "")
			flow := createID(e, key, "/api/v1/chatflows", map[string]any{"name": "f", "flowData": minimalFlow})
			other := createID(e, key, "/api/v1/chatflows", map[string]any{"name": "g", "flowData": minimalFlow})

			// Public: no credentials, as from the chat widget.
			var ada, bob, cy store.Lead
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/leads", body: map[string]any{
				"chatflowid": flow, "chatId": "chat-1", "name": "Ada", "email": "ada@example.com", "phone": "+44 1",
			}}), &ada)
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/leads/", body: map[string]any{
				"chatflowid": flow, "email": "bob@example.com",
			}}), &bob)
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/leads", body: map[string]any{"chatflowid": other, "name": "Cy"}}), &cy)
			if ada.ChatID != "chat-1" || *ada.Name != "Ada" || *ada.Phone != "+44 1" || ada.ChatflowID != flow || !uuidRE.MatchString(ada.ID) {
				t.Errorf("got %+v, want Ada's lead on chat-1", ada)
			}
			if !uuidRE.MatchString(bob.ChatID) || bob.Name != nil {
				t.Errorf("got %+v, want a generated chatId and no name", bob)
			}

			if r := e.do(req{method: "GET", path: "/api/v1/leads/" + flow}); r.status != http.StatusUnauthorized {
				t.Errorf("GET leads without credentials: got %d, want 401", r.status)
			}
			tests := []struct {
				name, flow string
				want       []store.Lead
			}{
				{"oldest first", flow, []store.Lead{ada, bob}},
				{"other chatflow", other, []store.Lead{cy}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					var got []store.Lead
					e.mustOK(e.do(req{method: "GET", path: "/api/v1/leads/" + tc.flow, key: key}), &got)
					if diff := cmp.Diff(tc.want, got); diff != "" {
						t.Errorf("leads (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

func TestLeadsBadInput(t *testing.T) {
	e := newEnv(t, "sqlite")
	key, _ := e.newKey("k", "")
	flow := createID(e, key, "/api/v1/chatflows", map[string]any{"name": "f", "flowData": minimalFlow})
	missing := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
	tests := []struct {
		name, method, path string
		body               any
		want               int
		inMsg              string
	}{
		{"missing chatflowid", "POST", "/api/v1/leads", map[string]any{"name": "a"}, 400, `"chatflowid" is required`},
		{"chatflowid not a UUID", "POST", "/api/v1/leads", map[string]any{"chatflowid": "abc"}, 400, "Invalid Chatflow ID"},
		{"unknown chatflow", "POST", "/api/v1/leads", map[string]any{"chatflowid": missing}, 404, missing},
		{"name too long", "POST", "/api/v1/leads", map[string]any{"chatflowid": flow, "name": strings.Repeat("n", 1025)}, 400, `"name"`},
		{"email too long", "POST", "/api/v1/leads", map[string]any{"chatflowid": flow, "email": strings.Repeat("e", 2000)}, 400, `"email"`},
		{"phone of wrong type", "POST", "/api/v1/leads", map[string]any{"chatflowid": flow, "phone": 123}, 400, `"phone"`},
		{"chat id too long", "POST", "/api/v1/leads", map[string]any{"chatflowid": flow, "chatId": strings.Repeat("c", 257)}, 400, `"chatId"`},
		{"chat id with a control character", "POST", "/api/v1/leads", map[string]any{"chatflowid": flow, "chatId": "a\nb"}, 400, `"chatId"`},
		{"malformed JSON", "POST", "/api/v1/leads", `{"chatflowid":`, 400, "malformed JSON"},
		{"list: bad id", "GET", "/api/v1/leads/abc", nil, 400, "Invalid Chatflow ID"},
		{"list: unknown chatflow", "GET", "/api/v1/leads/" + missing, nil, 404, missing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkError(t, e.do(req{method: tc.method, path: tc.path, body: tc.body, key: key}), tc.want, tc.inMsg)
		})
	}
	if leads, err := e.db.ListLeads(t.Context(), flow); err != nil || len(leads) != 0 {
		t.Errorf("got %d leads (%v) after bad requests, want 0", len(leads), err)
	}
}
