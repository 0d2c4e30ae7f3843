package server

import (
	"net/http"

	"github.com/floehq/floe/internal/node"
)

func (s *Server) listNodes(w http.ResponseWriter, r *http.Request) error {
	defs := s.nodes.List()
	specs := make([]node.Spec, 0, len(defs))
	for _, d := range defs {
		specs = append(specs, d.Spec)
	}
	writeJSON(w, http.StatusOK, specs)
	return nil
}

func (s *Server) getNode(w http.ResponseWriter, r *http.Request) error {
	d, err := s.nodes.Lookup(r.PathValue("name"))
	if err != nil {
		return errorf(http.StatusNotFound, "Node %s not found", r.PathValue("name"))
	}
	writeJSON(w, http.StatusOK, d.Spec)
	return nil
}
