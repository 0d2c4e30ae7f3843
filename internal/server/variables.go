package server

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/floehq/floe/internal/store"
)

// variableName is what $vars.<name> can reference.
var variableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (s *Server) applyVariable(b body, v *store.Variable) error {
	if err := b.str("name", &v.Name); err != nil {
		return err
	}
	if err := b.optStr("value", &v.Value); err != nil {
		return err
	}
	if err := b.str("type", &v.Type); err != nil {
		return err
	}
	if v.Type == "" {
		v.Type = "static"
	}
	if v.Name == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "name")
	}
	if !variableName.MatchString(v.Name) {
		return errorf(http.StatusBadRequest, "field %q: %q is not a valid variable name (letters, digits and _, not starting with a digit)", "name", v.Name)
	}
	if v.Type != "static" && v.Type != "runtime" {
		return errorf(http.StatusBadRequest, "field %q must be \"static\" or \"runtime\"", "type")
	}
	return nil
}

func (s *Server) listVariables(w http.ResponseWriter, r *http.Request) error {
	vars, err := s.db.ListVariables(r.Context())
	if err != nil {
		return err
	}
	if vars == nil {
		vars = []store.Variable{}
	}
	writeJSON(w, http.StatusOK, vars)
	return nil
}

func (s *Server) createVariable(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var v store.Variable
	if err := s.applyVariable(b, &v); err != nil {
		return err
	}
	if err := s.db.CreateVariable(r.Context(), &v); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) variable(r *http.Request) (*store.Variable, error) {
	id, err := pathID(r, "Variable")
	if err != nil {
		return nil, err
	}
	v, err := s.db.GetVariable(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Variable", id)
	}
	return v, err
}

func (s *Server) updateVariable(w http.ResponseWriter, r *http.Request) error {
	v, err := s.variable(r)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	if err := s.applyVariable(b, v); err != nil {
		return err
	}
	if err := s.db.UpdateVariable(r.Context(), v); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) deleteVariable(w http.ResponseWriter, r *http.Request) error {
	v, err := s.variable(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteVariable(r.Context(), v.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleted())
	return nil
}
