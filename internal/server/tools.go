package server

import (
	"errors"
	"net/http"

	"github.com/floehq/floe/internal/store"
)

func (s *Server) applyTool(b body, t *store.Tool) error {
	for _, f := range []struct {
		name string
		dst  *string
	}{{"name", &t.Name}, {"description", &t.Description}, {"color", &t.Color}} {
		if err := b.str(f.name, f.dst); err != nil {
			return err
		}
	}
	if err := b.optStr("iconSrc", &t.IconSrc); err != nil {
		return err
	}
	if err := b.jsonText("schema", &t.Schema, true); err != nil {
		return err
	}
	if err := b.optStr("func", &t.Func); err != nil {
		return err
	}
	if t.Name == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "name")
	}
	if t.Description == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "description")
	}
	return nil
}

func (s *Server) listTools(w http.ResponseWriter, r *http.Request) error {
	tools, err := s.db.ListTools(r.Context())
	if err != nil {
		return err
	}
	if tools == nil {
		tools = []store.Tool{}
	}
	writeJSON(w, http.StatusOK, tools)
	return nil
}

func (s *Server) createTool(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var t store.Tool
	if err := s.applyTool(b, &t); err != nil {
		return err
	}
	if err := s.db.CreateTool(r.Context(), &t); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) tool(r *http.Request) (*store.Tool, error) {
	id, err := pathID(r, "Tool")
	if err != nil {
		return nil, err
	}
	t, err := s.db.GetTool(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Tool", id)
	}
	return t, err
}

func (s *Server) getTool(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tool(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) updateTool(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tool(r)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	if err := s.applyTool(b, t); err != nil {
		return err
	}
	if err := s.db.UpdateTool(r.Context(), t); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) deleteTool(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tool(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteTool(r.Context(), t.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleted())
	return nil
}
