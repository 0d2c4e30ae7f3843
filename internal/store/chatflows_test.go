package store_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

// flowIDs returns the ids of flows in order.
func flowIDs(flows []store.ChatFlow) []string {
	ids := []string{}
	for _, f := range flows {
		ids = append(ids, f.ID)
	}
	return ids
}

func mustCreateFlow(t *testing.T, db *store.DB, f *store.ChatFlow) *store.ChatFlow {
	t.Helper()
	if err := db.CreateChatFlow(t.Context(), f); err != nil {
		t.Fatalf("CreateChatFlow(%q): %v", f.Name, err)
	}
	return f
}

func TestChatFlowRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		full := &store.ChatFlow{
			Name: "full", FlowData: `{"nodes":[],"edges":[]}`, Deployed: ptr(false), IsPublic: ptr(true),
			APIKeyID: ptr("key-1"), ChatbotConfig: ptr(`{"a":1}`), APIConfig: ptr(`{"b":2}`),
			Analytic: ptr(`{}`), SpeechToText: ptr(`{"s":1}`), TextToSpeech: ptr(`{"t":1}`),
			FollowUpPrompts: ptr(`{"f":1}`), Category: ptr("a;b"), Type: store.TypeAgentflow,
			MCPServerConfig: ptr(`{"enabled":true}`), WorkspaceID: "ws",
		}
		tests := []struct {
			name     string
			in       *store.ChatFlow
			wantType string
		}{
			{"all fields", full, store.TypeAgentflow},
			{"nulls and default type", &store.ChatFlow{Name: "bare", FlowData: "{}"}, store.TypeChatflow},
			{"caller id", &store.ChatFlow{ID: "11111111-1111-4111-8111-111111111111", Name: "x", FlowData: "{}"},
				store.TypeChatflow},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				callerID := tc.in.ID
				mustCreateFlow(t, db, tc.in)
				if tc.in.ID == "" || (callerID != "" && tc.in.ID != callerID) {
					t.Errorf("got id %q, want a generated id or the caller's %q", tc.in.ID, callerID)
				}
				if tc.in.Type != tc.wantType {
					t.Errorf("got type %q, want %q", tc.in.Type, tc.wantType)
				}
				checkStamped(t, "create", tc.in.CreatedDate, tc.in.UpdatedDate)
				got, err := db.GetChatFlow(ctx, tc.in.ID)
				if err != nil {
					t.Fatalf("GetChatFlow: %v", err)
				}
				if diff := cmp.Diff(tc.in, got); diff != "" {
					t.Errorf("GetChatFlow mismatch (-want +got):\n%s", diff)
				}
			})
		}

		// Update changes every column but id and createdDate.
		created := full.CreatedDate
		upd := *full
		upd.Name, upd.FlowData, upd.Deployed, upd.IsPublic, upd.APIKeyID = "renamed", `{"nodes":[1]}`, nil, ptr(false), nil
		upd.ChatbotConfig, upd.Type, upd.Category, upd.CreatedDate = nil, store.TypeMultiAgent, nil, created.AddDate(-1, 0, 0)
		if err := db.UpdateChatFlow(ctx, &upd); err != nil {
			t.Fatalf("UpdateChatFlow: %v", err)
		}
		if !upd.CreatedDate.Equal(created) || !upd.UpdatedDate.After(created) {
			t.Errorf("after update got dates %v/%v, want createdDate %v kept and updatedDate later",
				upd.CreatedDate, upd.UpdatedDate, created)
		}
		got, err := db.GetChatFlow(ctx, full.ID)
		if err != nil {
			t.Fatalf("GetChatFlow: %v", err)
		}
		if diff := cmp.Diff(&upd, got); diff != "" {
			t.Errorf("GetChatFlow after update mismatch (-want +got):\n%s", diff)
		}

		if err := db.DeleteChatFlow(ctx, full.ID); err != nil {
			t.Fatalf("DeleteChatFlow: %v", err)
		}
		if _, err := db.GetChatFlow(ctx, full.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetChatFlow after delete: got %v, want ErrNotFound", err)
		}
		if err := db.CreateChatFlow(ctx, &store.ChatFlow{ID: tests[1].in.ID, Name: "dup"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("CreateChatFlow with a taken id: got %v, want ErrConflict", err)
		}
	})
}

func TestListChatFlows(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		// Created in this order, so updatedDate order is the reverse.
		var cf, af []string
		for i, typ := range []string{
			store.TypeChatflow, store.TypeAgentflow, store.TypeChatflow,
			store.TypeChatflow, store.TypeAgentflow, store.TypeChatflow,
		} {
			f := mustCreateFlow(t, db, &store.ChatFlow{Name: string(rune('a' + i)), FlowData: "{}", Type: typ})
			if typ == store.TypeChatflow {
				cf = append([]string{f.ID}, cf...)
			} else {
				af = append([]string{f.ID}, af...)
			}
		}
		all := []string{cf[0], af[0], cf[1], cf[2], af[1], cf[3]}

		tests := []struct {
			name      string
			filter    store.ChatFlowFilter
			want      []string
			wantTotal int
		}{
			{"all", store.ChatFlowFilter{}, all, 6},
			{"type", store.ChatFlowFilter{Type: store.TypeChatflow}, cf, 4},
			{"other type", store.ChatFlowFilter{Type: store.TypeAgentflow}, af, 2},
			{"unknown type", store.ChatFlowFilter{Type: store.TypeAssistant}, []string{}, 0},
			{"limit", store.ChatFlowFilter{Limit: 2}, all[:2], 6},
			{"limit offset", store.ChatFlowFilter{Limit: 2, Offset: 2}, all[2:4], 6},
			{"offset only", store.ChatFlowFilter{Offset: 4}, all[4:], 6},
			{"offset past end", store.ChatFlowFilter{Limit: 2, Offset: 10}, []string{}, 6},
			{"type limit offset", store.ChatFlowFilter{Type: store.TypeChatflow, Limit: 3, Offset: 1}, cf[1:], 4},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := db.ListChatFlows(t.Context(), tc.filter)
				if err != nil {
					t.Fatalf("ListChatFlows: %v", err)
				}
				if diff := cmp.Diff(tc.want, flowIDs(got)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
				if total != tc.wantTotal {
					t.Errorf("got total %d, want %d", total, tc.wantTotal)
				}
			})
		}
	})
}

func TestListChatFlowsByAPIKey(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		unbound := mustCreateFlow(t, db, &store.ChatFlow{Name: "unbound", FlowData: "{}"})
		empty := mustCreateFlow(t, db, &store.ChatFlow{Name: "empty", FlowData: "{}", APIKeyID: ptr("")})
		k1 := mustCreateFlow(t, db, &store.ChatFlow{Name: "k1", FlowData: "{}", APIKeyID: ptr("key1")})
		mustCreateFlow(t, db, &store.ChatFlow{Name: "k2", FlowData: "{}", APIKeyID: ptr("key2")})

		tests := []struct {
			name    string
			key     string
			keyOnly bool
			want    []string
		}{
			{"key only", "key1", true, []string{k1.ID}},
			{"key and unbound", "key1", false, []string{k1.ID, empty.ID, unbound.ID}},
			{"unknown key only", "nope", true, []string{}},
			{"unknown key and unbound", "nope", false, []string{empty.ID, unbound.ID}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListChatFlowsByAPIKey(t.Context(), tc.key, tc.keyOnly)
				if err != nil {
					t.Fatalf("ListChatFlowsByAPIKey: %v", err)
				}
				if diff := cmp.Diff(tc.want, flowIDs(got)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestDeleteChatFlowCascades(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		gone := mustCreateFlow(t, db, &store.ChatFlow{Name: "gone", FlowData: "{}"})
		kept := mustCreateFlow(t, db, &store.ChatFlow{Name: "kept", FlowData: "{}"})
		for _, f := range []*store.ChatFlow{gone, kept} {
			q := &store.ChatMessage{Role: "userMessage", ChatflowID: f.ID, ChatID: "c", ChatType: "INTERNAL", Content: "hi"}
			a := &store.ChatMessage{Role: "apiMessage", ChatflowID: f.ID, ChatID: "c", ChatType: "INTERNAL", Content: "yo"}
			if err := db.AddChatMessages(ctx, q, a); err != nil {
				t.Fatalf("AddChatMessages: %v", err)
			}
		}
		now := time.Now()
		for i, f := range []*store.ChatFlow{gone, kept} {
			n := strconv.Itoa(i)
			inserts := []struct {
				q    string
				args []any
			}{
				{`INSERT INTO chat_message_feedback (id, chatflowid, "chatId", "messageId", rating, "createdDate")
					VALUES (?, ?, 'c', ?, 'THUMBS_UP', ?)`, []any{"fb" + n, f.ID, "m" + n, now}},
				{`INSERT INTO upsert_history (id, chatflowid, "result", "flowData", "date")
					VALUES (?, ?, '{}', '[]', ?)`, []any{"uh" + n, f.ID, now}},
				{`INSERT INTO lead (id, name, chatflowid, "chatId", "createdDate")
					VALUES (?, 'n', ?, 'c', ?)`, []any{"ld" + n, f.ID, now}},
				{`INSERT INTO execution (id, "executionData", "state", "agentflowId", "sessionId", "createdDate", "updatedDate")
					VALUES (?, '[]', 'FINISHED', ?, 's', ?, ?)`, []any{"ex" + n, f.ID, now, now}},
			}
			for _, in := range inserts {
				if err := store.Exec(ctx, db, in.q, in.args...); err != nil {
					t.Fatalf("inserting child row: %v", err)
				}
			}
		}
		if err := db.DeleteChatFlow(ctx, gone.ID); err != nil {
			t.Fatalf("DeleteChatFlow: %v", err)
		}
		children := []struct {
			table, column string
			wantKept      int
		}{
			{"chat_message", "chatflowid", 2},
			{"chat_message_feedback", "chatflowid", 1},
			{"upsert_history", "chatflowid", 1},
			{"lead", "chatflowid", 1},
			{"execution", `"agentflowId"`, 1},
		}
		for _, ch := range children {
			for flow, want := range map[string]int{gone.ID: 0, kept.ID: ch.wantKept} {
				n, err := store.Count(ctx, db, ch.table, ch.column, flow)
				if err != nil {
					t.Fatalf("counting %s: %v", ch.table, err)
				}
				if n != want {
					t.Errorf("%s rows of flow %s: got %d, want %d", ch.table, flow, n, want)
				}
			}
		}
		if _, err := db.GetChatFlow(ctx, kept.ID); err != nil {
			t.Errorf("GetChatFlow(kept): %v", err)
		}
		if err := db.DeleteChatFlow(ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second DeleteChatFlow: got %v, want ErrNotFound", err)
		}
	})
}
