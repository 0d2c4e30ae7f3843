package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

func feedbackIDs(fbs []store.Feedback) []string {
	ids := []string{}
	for _, f := range fbs {
		ids = append(ids, f.ID)
	}
	return ids
}

func TestFeedbackCRUD(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		m := &store.ChatMessage{Role: "apiMessage", ChatflowID: "f", ChatID: "c", ChatType: "INTERNAL", Content: "hi"}
		if err := db.AddChatMessages(ctx, m); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		fb := &store.Feedback{ChatflowID: "f", ChatID: "c", MessageID: m.ID, Rating: store.RatingThumbsUp, Content: ptr("")}
		if err := db.CreateFeedback(ctx, fb); err != nil {
			t.Fatalf("CreateFeedback: %v", err)
		}
		checkStamped(t, "feedback", fb.CreatedDate, fb.CreatedDate)
		got, err := db.GetFeedback(ctx, fb.ID)
		if err != nil {
			t.Fatalf("GetFeedback: %v", err)
		}
		if diff := cmp.Diff(fb, got); diff != "" {
			t.Errorf("GetFeedback mismatch (-want +got):\n%s", diff)
		}

		bad := []struct {
			name string
			fb   store.Feedback
			want error
		}{
			{"second feedback on the message", store.Feedback{ChatflowID: "f", ChatID: "c", MessageID: m.ID, Rating: "THUMBS_DOWN"}, store.ErrConflict},
			{"unknown message", store.Feedback{ChatflowID: "f", ChatID: "c", MessageID: "nope", Rating: "THUMBS_UP"}, store.ErrNotFound},
			{"message of another chatflow", store.Feedback{ChatflowID: "g", ChatID: "c", MessageID: m.ID, Rating: "THUMBS_UP"}, store.ErrNotFound},
			{"message of another chat", store.Feedback{ChatflowID: "f", ChatID: "d", MessageID: m.ID, Rating: "THUMBS_UP"}, store.ErrNotFound},
		}
		for _, tc := range bad {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.CreateFeedback(ctx, &tc.fb); !errors.Is(err, tc.want) {
					t.Errorf("CreateFeedback: got %v, want %v", err, tc.want)
				}
			})
		}
		if n, err := store.Count(ctx, db, "chat_message_feedback", "chatflowid", "f"); err != nil || n != 1 {
			t.Errorf("got %d feedback rows (%v), want 1", n, err)
		}

		upd := &store.Feedback{ID: fb.ID, Rating: store.RatingThumbsDown, Content: ptr("wrong answer")}
		if err := db.UpdateFeedback(ctx, upd); err != nil {
			t.Fatalf("UpdateFeedback: %v", err)
		}
		want := *fb
		want.Rating, want.Content = store.RatingThumbsDown, ptr("wrong answer")
		if diff := cmp.Diff(&want, upd); diff != "" {
			t.Errorf("UpdateFeedback result mismatch (-want +got):\n%s", diff)
		}
		if got, _ := db.GetFeedback(ctx, fb.ID); !cmp.Equal(&want, got) {
			t.Errorf("GetFeedback after update: got %+v, want %+v", got, want)
		}
		if err := db.UpdateFeedback(ctx, &store.Feedback{ID: "nope", Rating: "THUMBS_UP"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UpdateFeedback of an unknown id: got %v, want ErrNotFound", err)
		}
		if _, err := db.GetFeedback(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetFeedback of an unknown id: got %v, want ErrNotFound", err)
		}
	})
}

func TestListFeedback(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		var fbs []*store.Feedback
		for i, chat := range []string{"a", "b", "a"} {
			m := &store.ChatMessage{Role: "apiMessage", ChatflowID: "f", ChatID: chat, ChatType: "INTERNAL"}
			if err := db.AddChatMessages(ctx, m); err != nil {
				t.Fatalf("AddChatMessages: %v", err)
			}
			fb := &store.Feedback{ChatflowID: "f", ChatID: chat, MessageID: m.ID, Rating: store.RatingThumbsUp}
			if err := db.CreateFeedback(ctx, fb); err != nil {
				t.Fatalf("CreateFeedback %d: %v", i, err)
			}
			fbs = append(fbs, fb)
		}
		other := &store.ChatMessage{Role: "apiMessage", ChatflowID: "g", ChatID: "a", ChatType: "INTERNAL"}
		if err := db.AddChatMessages(ctx, other); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		if err := db.CreateFeedback(ctx, &store.Feedback{ChatflowID: "g", ChatID: "a", MessageID: other.ID, Rating: "THUMBS_UP"}); err != nil {
			t.Fatalf("CreateFeedback: %v", err)
		}
		id := func(is ...int) []string {
			out := []string{}
			for _, i := range is {
				out = append(out, fbs[i].ID)
			}
			return out
		}
		at := func(i int, d time.Duration) *time.Time { t := fbs[i].CreatedDate.Add(d); return &t }
		tests := []struct {
			name   string
			filter store.FeedbackFilter
			want   []string
		}{
			{"chatflow", store.FeedbackFilter{ChatflowID: "f"}, id(0, 1, 2)},
			{"descending", store.FeedbackFilter{ChatflowID: "f", Descending: true}, id(2, 1, 0)},
			{"chat id", store.FeedbackFilter{ChatflowID: "f", ChatID: "a"}, id(0, 2)},
			{"start date", store.FeedbackFilter{ChatflowID: "f", StartDate: at(1, 0)}, id(1, 2)},
			{"end date", store.FeedbackFilter{ChatflowID: "f", EndDate: at(1, 0)}, id(0, 1)},
			{"range", store.FeedbackFilter{ChatflowID: "f", StartDate: at(1, 0), EndDate: at(1, 0)}, id(1)},
			{"unknown chatflow", store.FeedbackFilter{ChatflowID: "x"}, id()},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListFeedback(ctx, tc.filter)
				if err != nil {
					t.Fatalf("ListFeedback: %v", err)
				}
				if diff := cmp.Diff(tc.want, feedbackIDs(got)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestListRatedChatMessages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		// Session s1 (minutes 0-5): q a(UP) q a(DOWN) q a(UP)
		// Session s2 (minutes 10-13): q a(DOWN) q a
		// Session s3 (minute 20-21): q a(UP), chat c2
		// No session (minute 30-31): q a(UP)
		type spec struct {
			min              int
			role, chat, sess string
			rating           string
		}
		specs := []spec{
			{0, "userMessage", "c1", "s1", ""}, {1, "apiMessage", "c1", "s1", "THUMBS_UP"},
			{2, "userMessage", "c1", "s1", ""}, {3, "apiMessage", "c1", "s1", "THUMBS_DOWN"},
			{4, "userMessage", "c1", "s1", ""}, {5, "apiMessage", "c1", "s1", "THUMBS_UP"},
			{10, "userMessage", "c1", "s2", ""}, {11, "apiMessage", "c1", "s2", "THUMBS_DOWN"},
			{12, "userMessage", "c1", "s2", ""}, {13, "apiMessage", "c1", "s2", ""},
			{20, "userMessage", "c2", "s3", ""}, {21, "apiMessage", "c2", "s3", "THUMBS_UP"},
			{30, "userMessage", "c3", "", ""}, {31, "apiMessage", "c3", "", "THUMBS_UP"},
		}
		m := make([]*store.ChatMessage, len(specs))
		for i, s := range specs {
			m[i] = &store.ChatMessage{Role: s.role, ChatflowID: "f", ChatID: s.chat, ChatType: "INTERNAL",
				CreatedDate: base.Add(time.Duration(s.min) * time.Minute)}
			if s.sess != "" {
				m[i].SessionID = ptr(s.sess)
			}
		}
		if err := db.AddChatMessages(ctx, m...); err != nil {
			t.Fatalf("AddChatMessages: %v", err)
		}
		rated := map[string]string{}
		for i, s := range specs {
			if s.rating == "" {
				continue
			}
			fb := &store.Feedback{ChatflowID: "f", ChatID: s.chat, MessageID: m[i].ID, Rating: s.rating}
			if err := db.CreateFeedback(ctx, fb); err != nil {
				t.Fatalf("CreateFeedback: %v", err)
			}
			rated[m[i].ID] = s.rating
		}
		id := func(is ...int) []string {
			out := []string{}
			for _, i := range is {
				out = append(out, m[i].ID)
			}
			return out
		}
		up, down := []string{"THUMBS_UP"}, []string{"THUMBS_DOWN"}
		all := store.ChatMessageFilter{ChatflowID: "f"}
		desc := store.ChatMessageFilter{ChatflowID: "f", Descending: true}
		tests := []struct {
			name   string
			filter store.RatedMessageFilter
			want   []string
		}{
			{"every message", store.RatedMessageFilter{ChatMessageFilter: all}, id(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)},
			{"thumbs up with the message before", store.RatedMessageFilter{ChatMessageFilter: all, Ratings: up}, id(0, 1, 4, 5, 10, 11)},
			{"thumbs down", store.RatedMessageFilter{ChatMessageFilter: all, Ratings: down}, id(2, 3, 6, 7)},
			{"both ratings", store.RatedMessageFilter{ChatMessageFilter: all, Ratings: []string{"THUMBS_UP", "THUMBS_DOWN"}},
				id(0, 1, 2, 3, 4, 5, 6, 7, 10, 11)},
			{"thumbs up, newest first", store.RatedMessageFilter{ChatMessageFilter: desc, Ratings: up}, id(11, 10, 5, 4, 1, 0)},
			{"thumbs up in one chat", store.RatedMessageFilter{ChatMessageFilter: store.ChatMessageFilter{ChatflowID: "f", ChatID: "c2"}, Ratings: up},
				id(10, 11)},
			{"first page of one session, oldest first", store.RatedMessageFilter{ChatMessageFilter: all, Page: 1, PageSize: 1},
				id(0, 1, 2, 3, 4, 5)},
			{"second page of two sessions", store.RatedMessageFilter{ChatMessageFilter: all, Page: 2, PageSize: 2}, id(10, 11)},
			{"first page of two sessions, newest first", store.RatedMessageFilter{ChatMessageFilter: desc, Page: 1, PageSize: 2},
				id(11, 10, 9, 8, 7, 6)},
			{"second page, newest first", store.RatedMessageFilter{ChatMessageFilter: desc, Page: 2, PageSize: 2},
				id(5, 4, 3, 2, 1, 0)},
			{"pages over sessions rated so", store.RatedMessageFilter{ChatMessageFilter: desc, Ratings: down, Page: 1, PageSize: 1},
				id(7, 6)},
			{"page past the end", store.RatedMessageFilter{ChatMessageFilter: all, Page: 9, PageSize: 5}, id()},
			{"session id", store.RatedMessageFilter{ChatMessageFilter: store.ChatMessageFilter{ChatflowID: "f", SessionID: "s2"}},
				id(6, 7, 8, 9)},
			{"other chatflow", store.RatedMessageFilter{ChatMessageFilter: store.ChatMessageFilter{ChatflowID: "g"}}, id()},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListRatedChatMessages(ctx, tc.filter)
				if err != nil {
					t.Fatalf("ListRatedChatMessages: %v", err)
				}
				var ids []string
				for _, r := range got {
					ids = append(ids, r.ID)
					switch want, ok := rated[r.ID]; {
					case ok && (r.Feedback == nil || r.Feedback.Rating != want || r.Feedback.MessageID != r.ID):
						t.Errorf("message %s: got feedback %+v, want rating %s", r.ID, r.Feedback, want)
					case !ok && r.Feedback != nil:
						t.Errorf("message %s: got feedback %+v, want none", r.ID, r.Feedback)
					}
				}
				if ids == nil {
					ids = []string{}
				}
				if diff := cmp.Diff(tc.want, ids); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}
