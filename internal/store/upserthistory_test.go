package store_test

import (
	"errors"
	"testing"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

func TestUpsertHistory(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			flow := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
			var ids []string
			for _, r := range []string{`{"numAdded":1}`, `{"numAdded":2}`} {
				h := &store.UpsertHistory{ChatflowID: flow, Result: r, FlowData: `[]`}
				if err := db.CreateUpsertHistory(t.Context(), h); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, h.ID)
			}
			other := &store.UpsertHistory{ChatflowID: "7f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11", Result: `{}`, FlowData: `[]`}
			if err := db.CreateUpsertHistory(t.Context(), other); err != nil {
				t.Fatal(err)
			}
			got, err := db.ListUpsertHistory(t.Context(), store.UpsertHistoryFilter{ChatflowID: flow, Descending: true})
			if err != nil || len(got) != 2 || got[0].Result != `{"numAdded":2}` {
				t.Fatalf("list: %v %+v", err, got)
			}
			start := got[0].Date
			if got, _ := db.ListUpsertHistory(t.Context(), store.UpsertHistoryFilter{ChatflowID: flow, StartDate: &start}); len(got) != 1 {
				t.Errorf("start date filter: got %d rows, want 1", len(got))
			}
			if err := db.DeleteUpsertHistory(t.Context(), []string{ids[0], "00000000-0000-0000-0000-000000000000"}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("deleting an unknown id: got %v, want ErrNotFound", err)
			}
			if got, _ := db.ListUpsertHistory(t.Context(), store.UpsertHistoryFilter{ChatflowID: flow}); len(got) != 2 {
				t.Errorf("a failed delete removed rows: %d left", len(got))
			}
			if err := db.DeleteUpsertHistory(t.Context(), ids); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.ListUpsertHistory(t.Context(), store.UpsertHistoryFilter{ChatflowID: flow}); len(got) != 0 {
				t.Errorf("after delete: %d rows", len(got))
			}
		})
	}
}
