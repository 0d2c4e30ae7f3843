package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

func TestLeads(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		leads := []*store.Lead{
			{Name: ptr("Ada"), Email: ptr("ada@example.com"), Phone: ptr("+44 1"), ChatflowID: "f", ChatID: "c1"},
			{Email: ptr("bob@example.com"), ChatflowID: "g", ChatID: "c2"},
			{Name: ptr("Cy"), ChatflowID: "f", ChatID: "c3"},
		}
		for _, l := range leads {
			if err := db.CreateLead(ctx, l); err != nil {
				t.Fatalf("CreateLead: %v", err)
			}
			if l.ID == "" {
				t.Errorf("CreateLead left the id empty")
			}
			checkStamped(t, "lead", l.CreatedDate, l.CreatedDate)
		}
		tests := []struct {
			name string
			flow string
			want []store.Lead
		}{
			{"oldest first", "f", []store.Lead{*leads[0], *leads[2]}},
			{"other chatflow", "g", []store.Lead{*leads[1]}},
			{"no leads", "x", nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListLeads(ctx, tc.flow)
				if err != nil {
					t.Fatalf("ListLeads: %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("ListLeads mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}
