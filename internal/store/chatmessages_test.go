package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

func messageIDs(msgs []store.ChatMessage) []string {
	ids := []string{}
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestAddChatMessagesRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		q := &store.ChatMessage{
			Role: "userMessage", ChatflowID: "f1", Content: "hello?", ChatType: "INTERNAL", ChatID: "chat",
			SessionID: ptr("sess"), MemoryType: ptr("Buffer Memory"), FileUploads: ptr(`[{"name":"a.txt"}]`),
			LeadEmail: ptr("a@b.c"),
		}
		a := &store.ChatMessage{
			Role: "apiMessage", ChatflowID: "f1", Content: "hi!", ChatType: "INTERNAL", ChatID: "chat",
			ExecutionID: ptr("exec"), SourceDocuments: ptr(`[{"pageContent":"x"}]`), UsedTools: ptr(`[]`),
			FileAnnotations: ptr(`[]`), AgentReasoning: ptr(`[]`), ReasonContent: ptr(`{"thinking":"t"}`),
			Artifacts: ptr(`[]`), Action: ptr(`{"id":"act"}`), FollowUpPrompts: ptr(`["more?"]`),
			SessionID: ptr("sess"), MemoryType: ptr("Buffer Memory"),
		}
		if err := db.AddChatMessages(ctx, q, a); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		if q.ID == "" || a.ID == "" || q.ID == a.ID {
			t.Errorf("got ids %q and %q, want two distinct generated ids", q.ID, a.ID)
		}
		checkStamped(t, "question", q.CreatedDate, q.CreatedDate)
		if !a.CreatedDate.After(q.CreatedDate) {
			t.Errorf("got answer date %v, want after question date %v", a.CreatedDate, q.CreatedDate)
		}
		got, err := db.ListChatMessages(ctx, store.ChatMessageFilter{ChatflowID: "f1"})
		if err != nil {
			t.Fatalf("ListChatMessages: %v", err)
		}
		if diff := cmp.Diff([]store.ChatMessage{*q, *a}, got); diff != "" {
			t.Errorf("ListChatMessages mismatch (-want +got):\n%s", diff)
		}
		if err := db.AddChatMessages(ctx); err != nil {
			t.Errorf("AddChatMessages with no messages: %v", err)
		}
	})
}

// TestAddChatMessagesAtomic checks that a batch whose second row violates a
// constraint stores nothing.
func TestAddChatMessagesAtomic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		existing := &store.ChatMessage{Role: "userMessage", ChatflowID: "f", ChatID: "old", ChatType: "INTERNAL"}
		if err := db.AddChatMessages(ctx, existing); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		first := &store.ChatMessage{Role: "userMessage", ChatflowID: "f", ChatID: "new", ChatType: "INTERNAL"}
		dup := &store.ChatMessage{ID: existing.ID, Role: "apiMessage", ChatflowID: "f", ChatID: "new", ChatType: "INTERNAL"}
		if err := db.AddChatMessages(ctx, first, dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("AddChatMessages with a duplicate id: got %v, want ErrConflict", err)
		}
		got, err := db.ListChatMessages(ctx, store.ChatMessageFilter{ChatflowID: "f"})
		if err != nil {
			t.Fatalf("ListChatMessages: %v", err)
		}
		if diff := cmp.Diff([]string{existing.ID}, messageIDs(got)); diff != "" {
			t.Errorf("messages after failed batch mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestListChatMessagesFilters(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		msg := func(min int, chatID, session, chatType, memory string) *store.ChatMessage {
			m := &store.ChatMessage{
				Role: "userMessage", ChatflowID: "f", ChatID: chatID, ChatType: chatType,
				CreatedDate: base.Add(time.Duration(min) * time.Minute),
			}
			if session != "" {
				m.SessionID = ptr(session)
			}
			if memory != "" {
				m.MemoryType = ptr(memory)
			}
			return m
		}
		// Inserted out of date order; ids m[0..5] are in date order.
		m := []*store.ChatMessage{
			msg(0, "c1", "s1", "INTERNAL", "buf"),
			msg(1, "c1", "s1", "INTERNAL", ""),
			msg(2, "c2", "s2", "EXTERNAL", "buf"),
			msg(3, "c2", "s2", "EXTERNAL", ""),
			msg(4, "c1", "", "EXTERNAL", ""),
			msg(5, "c3", "s1", "INTERNAL", ""),
		}
		other := msg(2, "c1", "s1", "INTERNAL", "buf")
		other.ChatflowID = "g"
		if err := db.AddChatMessages(ctx, m[3], m[0], m[5], m[1], other, m[4], m[2]); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		id := func(is ...int) []string {
			out := []string{}
			for _, i := range is {
				out = append(out, m[i].ID)
			}
			return out
		}
		at := func(min int, extra time.Duration) *time.Time {
			t := base.Add(time.Duration(min)*time.Minute + extra)
			return &t
		}
		tests := []struct {
			name   string
			filter store.ChatMessageFilter
			want   []string
		}{
			{"chatflow", store.ChatMessageFilter{ChatflowID: "f"}, id(0, 1, 2, 3, 4, 5)},
			{"descending", store.ChatMessageFilter{ChatflowID: "f", Descending: true}, id(5, 4, 3, 2, 1, 0)},
			{"limit", store.ChatMessageFilter{ChatflowID: "f", Limit: 2}, id(0, 1)},
			{"descending limit", store.ChatMessageFilter{ChatflowID: "f", Descending: true, Limit: 2}, id(5, 4)},
			{"chat id", store.ChatMessageFilter{ChatflowID: "f", ChatID: "c1"}, id(0, 1, 4)},
			{"session id", store.ChatMessageFilter{ChatflowID: "f", SessionID: "s1"}, id(0, 1, 5)},
			{"chat and session", store.ChatMessageFilter{ChatflowID: "f", ChatID: "c1", SessionID: "s1"}, id(0, 1)},
			{"chat type", store.ChatMessageFilter{ChatflowID: "f", ChatTypes: []string{"EXTERNAL"}}, id(2, 3, 4)},
			{"chat types", store.ChatMessageFilter{ChatflowID: "f", ChatTypes: []string{"EXTERNAL", "INTERNAL"}},
				id(0, 1, 2, 3, 4, 5)},
			{"memory type", store.ChatMessageFilter{ChatflowID: "f", MemoryType: "buf"}, id(0, 2)},
			{"message id", store.ChatMessageFilter{ChatflowID: "f", MessageID: m[3].ID}, id(3)},
			{"other flow's message id", store.ChatMessageFilter{ChatflowID: "f", MessageID: other.ID}, id()},
			{"start date inclusive", store.ChatMessageFilter{ChatflowID: "f", StartDate: at(4, 0)}, id(4, 5)},
			{"start date sub-millisecond", store.ChatMessageFilter{ChatflowID: "f", StartDate: at(4, time.Microsecond)},
				id(5)},
			{"end date inclusive", store.ChatMessageFilter{ChatflowID: "f", EndDate: at(1, 0)}, id(0, 1)},
			{"end date sub-millisecond", store.ChatMessageFilter{ChatflowID: "f", EndDate: at(1, -time.Microsecond)},
				id(0)},
			{"date range", store.ChatMessageFilter{ChatflowID: "f", StartDate: at(1, 0), EndDate: at(3, 30*time.Second)},
				id(1, 2, 3)},
			{"date range in another zone", store.ChatMessageFilter{
				ChatflowID: "f",
				StartDate:  ptr(at(2, 0).In(time.FixedZone("UTC+5", 5*3600))),
				EndDate:    ptr(at(2, 0).In(time.FixedZone("UTC-7", -7*3600))),
			}, id(2)},
			{"unknown chatflow", store.ChatMessageFilter{ChatflowID: "nope"}, id()},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListChatMessages(ctx, tc.filter)
				if err != nil {
					t.Fatalf("ListChatMessages: %v", err)
				}
				if diff := cmp.Diff(tc.want, messageIDs(got)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestDeleteChatMessages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		add := func(flow, chatID string) *store.ChatMessage {
			m := &store.ChatMessage{Role: "apiMessage", ChatflowID: flow, ChatID: chatID, ChatType: "INTERNAL"}
			if err := db.AddChatMessages(ctx, m); err != nil {
				t.Fatalf("AddChatMessages: %v", err)
			}
			return m
		}
		a1 := add("f", "a")
		add("f", "a")
		b1 := add("f", "b")
		g := add("g", "a")
		for _, m := range []*store.ChatMessage{a1, b1, g} {
			err := store.Exec(ctx, db, `INSERT INTO chat_message_feedback
				(id, chatflowid, "chatId", "messageId", rating, "createdDate") VALUES (?, ?, ?, ?, 'THUMBS_UP', ?)`,
				"fb-"+m.ID, m.ChatflowID, m.ChatID, m.ID, time.Now())
			if err != nil {
				t.Fatalf("inserting feedback: %v", err)
			}
		}

		if _, err := db.DeleteChatMessages(ctx, store.ChatMessageFilter{ChatID: "a"}); err == nil {
			t.Errorf("DeleteChatMessages without a chatflow id succeeded, want an error")
		}
		n, err := db.DeleteChatMessages(ctx, store.ChatMessageFilter{ChatflowID: "f", ChatID: "a"})
		if err != nil {
			t.Fatalf("DeleteChatMessages: %v", err)
		}
		if n != 2 {
			t.Errorf("got %d deleted, want 2", n)
		}
		tests := []struct {
			name    string
			flow    string
			want    []string
			wantFbs int
		}{
			{"same flow, other chat kept", "f", []string{b1.ID}, 1},
			{"other flow kept", "g", []string{g.ID}, 1},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListChatMessages(ctx, store.ChatMessageFilter{ChatflowID: tc.flow})
				if err != nil {
					t.Fatalf("ListChatMessages: %v", err)
				}
				if diff := cmp.Diff(tc.want, messageIDs(got)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
				fbs, err := store.Count(ctx, db, "chat_message_feedback", "chatflowid", tc.flow)
				if err != nil {
					t.Fatalf("counting feedback: %v", err)
				}
				if fbs != tc.wantFbs {
					t.Errorf("got %d feedback rows, want %d", fbs, tc.wantFbs)
				}
			})
		}
	})
}

// TestChatMessageIndexes checks that the queries ListChatMessages runs for a
// conversation (by chat or session id) or a whole chatflow are served by the
// chat_message indexes, ordering included.
func TestChatMessageIndexes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		tests := []struct {
			name      string
			filter    store.ChatMessageFilter
			wantIndex string
		}{
			{"chat id", store.ChatMessageFilter{ChatflowID: "f", ChatID: "c"}, "idx_chat_message_flow_chat"},
			{"chat id descending limit", store.ChatMessageFilter{ChatflowID: "f", ChatID: "c", Descending: true, Limit: 10},
				"idx_chat_message_flow_chat"},
			{"session id", store.ChatMessageFilter{ChatflowID: "f", SessionID: "s"}, "idx_chat_message_flow_session"},
			{"chatflow", store.ChatMessageFilter{ChatflowID: "f", Descending: true}, "idx_chat_message_flow_created"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				q, args := store.ListChatMessagesQuery(db, tc.filter)
				plan, err := store.QueryPlan(t.Context(), db, q, args...)
				if err != nil {
					t.Fatalf("QueryPlan: %v", err)
				}
				if !strings.Contains(plan, tc.wantIndex) {
					t.Errorf("got plan\n%s\nwant it to use %s", plan, tc.wantIndex)
				}
				// Neither a SQLite temp b-tree nor a Postgres Sort node.
				for _, sort := range []string{"TEMP B-TREE", "Sort"} {
					if strings.Contains(plan, sort) {
						t.Errorf("got plan\n%s\nwant no sort step (%q)", plan, sort)
					}
				}
			})
		}
	})
}

func TestGetChatMessage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		m := &store.ChatMessage{Role: "apiMessage", ChatflowID: "f", ChatID: "c", ChatType: "EXTERNAL", Content: "hi",
			SessionID: ptr("s")}
		if err := db.AddChatMessages(ctx, m); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		got, err := db.GetChatMessage(ctx, m.ID)
		if err != nil {
			t.Fatalf("GetChatMessage: %v", err)
		}
		if diff := cmp.Diff(m, got); diff != "" {
			t.Errorf("GetChatMessage mismatch (-want +got):\n%s", diff)
		}
		if _, err := db.GetChatMessage(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetChatMessage of an unknown id: got %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteChatMessagesByID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for _, e := range []string{"e1", "e2"} {
			err := store.Exec(ctx, db, `INSERT INTO execution (id, "executionData", "state", "agentflowId", "sessionId",
				"createdDate", "updatedDate") VALUES (?, '[]', 'FINISHED', 'f', 's', ?, ?)`, e, time.Now(), time.Now())
			if err != nil {
				t.Fatalf("inserting execution: %v", err)
			}
		}
		add := func(flow, exec string) *store.ChatMessage {
			m := &store.ChatMessage{Role: "apiMessage", ChatflowID: flow, ChatID: "c", ChatType: "INTERNAL"}
			if exec != "" {
				m.ExecutionID = ptr(exec)
			}
			if err := db.AddChatMessages(ctx, m); err != nil {
				t.Fatalf("AddChatMessages: %v", err)
			}
			fb := &store.Feedback{ChatflowID: flow, ChatID: "c", MessageID: m.ID, Rating: store.RatingThumbsUp}
			if err := db.CreateFeedback(ctx, fb); err != nil {
				t.Fatalf("CreateFeedback: %v", err)
			}
			return m
		}
		a := add("f", "e1") // e1 is referenced by a only
		b := add("f", "e2") // e2 is referenced by b and c
		c := add("f", "e2")
		g := add("g", "")
		n, err := db.DeleteChatMessagesByID(ctx, "f", []string{a.ID, b.ID, g.ID, "nope"})
		if err != nil {
			t.Fatalf("DeleteChatMessagesByID: %v", err)
		}
		if n != 2 {
			t.Errorf("got %d deleted, want 2", n)
		}
		tests := []struct {
			name                string
			table, column, want string
			n                   int
		}{
			{"message of the other chatflow kept", "chat_message", "id", g.ID, 1},
			{"its feedback kept", "chat_message_feedback", "chatflowid", "g", 1},
			{"remaining message kept", "chat_message", "id", c.ID, 1},
			{"feedback of deleted messages gone", "chat_message_feedback", "chatflowid", "f", 1},
			{"orphaned execution gone", "execution", "id", "e1", 0},
			{"execution still referenced kept", "execution", "id", "e2", 1},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				n, err := store.Count(ctx, db, tc.table, tc.column, tc.want)
				if err != nil {
					t.Fatalf("Count: %v", err)
				}
				if n != tc.n {
					t.Errorf("got %d rows of %s with %s = %s, want %d", n, tc.table, tc.column, tc.want, tc.n)
				}
			})
		}
		if _, err := db.DeleteChatMessagesByID(ctx, "", []string{c.ID}); err == nil {
			t.Errorf("DeleteChatMessagesByID without a chatflow id succeeded, want an error")
		}
		many := make([]string, 1200) // more than one batch
		for i := range many {
			many[i] = fmt.Sprintf("id-%d", i)
		}
		many[1100] = c.ID
		if n, err := db.DeleteChatMessagesByID(ctx, "f", many); err != nil || n != 1 {
			t.Errorf("DeleteChatMessagesByID over several batches: got %d, %v, want 1, nil", n, err)
		}
	})
}
