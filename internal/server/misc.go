package server

import (
	"io"
	"net/http"
)

// ping answers "pong" as plain text, as Flowise does.
func (s *Server) ping(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "pong")
	return nil
}

func (s *Server) getVersion(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"version": s.version})
	return nil
}
