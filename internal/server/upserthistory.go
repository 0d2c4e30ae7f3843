package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/floehq/floe/internal/store"
)

// upsertHistoryView is a history row with its JSON columns parsed.
type upsertHistoryView struct {
	ID         string          `json:"id"`
	ChatflowID string          `json:"chatflowid"`
	Result     json.RawMessage `json:"result"`
	FlowData   json.RawMessage `json:"flowData"`
	Date       time.Time       `json:"date"`
}

// listUpsertHistory is GET /api/v1/upsert-history/{id} (id = chatflow).
func (s *Server) listUpsertHistory(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.UpsertHistoryFilter{ChatflowID: cf.ID}
	switch q.Get("order") {
	case "", "ASC", "asc":
	case "DESC", "desc":
		f.Descending = true
	default:
		return errorf(http.StatusBadRequest, "query parameter %q must be ASC or DESC", "order")
	}
	for _, d := range []struct {
		name string
		dst  **time.Time
	}{{"startDate", &f.StartDate}, {"endDate", &f.EndDate}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				if t, err = time.Parse("2006-01-02", v); err != nil {
					return errorf(http.StatusBadRequest, "query parameter %q must be an ISO date", d.name)
				}
			}
			*d.dst = &t
		}
	}
	rows, err := s.db.ListUpsertHistory(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]upsertHistoryView, 0, len(rows))
	for _, h := range rows {
		out = append(out, upsertHistoryView{ID: h.ID, ChatflowID: h.ChatflowID, Result: json.RawMessage(h.Result), FlowData: json.RawMessage(h.FlowData), Date: h.Date})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// deleteUpsertHistory is PATCH /api/v1/upsert-history with {ids: [...]}
// (also accepted with one id in the path, as swagger documents it).
func (s *Server) deleteUpsertHistory(w http.ResponseWriter, r *http.Request) error {
	var ids []string
	if id := r.PathValue("id"); id != "" {
		ids = append(ids, id)
	}
	if r.ContentLength != 0 {
		b, err := readBody(r)
		if err != nil {
			return err
		}
		if raw, ok := b["ids"]; ok {
			var more []string
			if err := json.Unmarshal(raw, &more); err != nil {
				return errorf(http.StatusBadRequest, "field %q must be an array of ids", "ids")
			}
			ids = append(ids, more...)
		}
	}
	if len(ids) == 0 {
		return errorf(http.StatusBadRequest, "ids are required")
	}
	for _, id := range ids {
		if !uuidRE.MatchString(id) {
			return errorf(http.StatusBadRequest, "Invalid upsert history ID %q", id)
		}
	}
	if err := s.db.DeleteUpsertHistory(r.Context(), ids); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleteResult{Raw: []any{}, Affected: len(ids)})
	return nil
}
