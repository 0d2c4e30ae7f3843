package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

func TestChatHistory(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			add := func(flow, session, role, content string, i int) {
				s := session
				m := &store.ChatMessage{Role: role, ChatflowID: flow, Content: content, ChatType: "EXTERNAL", ChatID: session, SessionID: &s, CreatedDate: base.Add(time.Duration(i) * time.Second)}
				if err := db.AddChatMessages(t.Context(), m); err != nil {
					t.Fatal(err)
				}
			}
			flow := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
			for i := 0; i < 6; i++ {
				role := "userMessage"
				if i%2 == 1 {
					role = "apiMessage"
				}
				add(flow, "s1", role, fmt.Sprint("m", i), i)
			}
			add(flow, "s2", "userMessage", "other session", 10)
			add("7f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11", "s1", "userMessage", "other flow", 11)
			tests := []struct {
				limit int
				want  []string
			}{{0, []string{"m0", "m1", "m2", "m3", "m4", "m5"}}, {4, []string{"m2", "m3", "m4", "m5"}}}
			for _, tc := range tests {
				got, err := db.ChatHistory(t.Context(), flow, "s1", tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				var contents []string
				for i, m := range got {
					contents = append(contents, m.Content)
					wantRole := "userMessage"
					if (i+6-len(got))%2 == 1 {
						wantRole = "apiMessage"
					}
					if m.Role != wantRole {
						t.Errorf("limit %d: message %d role %q, want %q", tc.limit, i, m.Role, wantRole)
					}
				}
				if diff := cmp.Diff(tc.want, contents); diff != "" {
					t.Errorf("limit %d (-want +got):\n%s", tc.limit, diff)
				}
			}
		})
	}
}
