package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/floehq/floe/internal/credentials"
	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/store"
)

// apiError is an error with the HTTP status the caller should see. Handlers
// return it (usually through [errorf]); [writeError] turns it into Flowise's
// JSON error body.
type apiError struct {
	Status  int
	Message string
	Err     error
}

func (e *apiError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *apiError) Unwrap() error { return e.Err }

// errorf builds an *apiError with a formatted message.
func errorf(status int, format string, args ...any) *apiError {
	return &apiError{Status: status, Message: fmt.Sprintf(format, args...)}
}

// errUnauthorized is the auth gate's rejection; it has its own body shape.
var errUnauthorized = errors.New("server: unauthorized")

// errorBody is Flowise's error JSON (reference §0.1).
type errorBody struct {
	StatusCode int      `json:"statusCode"`
	Success    bool     `json:"success"`
	Message    string   `json:"message"`
	Stack      struct{} `json:"stack"`
}

// writeError is the single place that maps an error to a status and body.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if errors.Is(err, errUnauthorized) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Unauthorized Access"})
		return
	}
	status, msg := classify(err)
	if status >= 500 {
		log.ErrorContext(r.Context(), "request error", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	writeJSON(w, status, errorBody{StatusCode: status, Message: msg})
}

func classify(err error) (int, string) {
	var ae *apiError
	var mbe *http.MaxBytesError
	var ve *flow.ValidationError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "request entity too large"
	case errors.As(err, &ae):
		if ae.Status >= 500 {
			return ae.Status, ae.Message
		}
		return ae.Status, ae.Error()
	case errors.As(err, &ve):
		return http.StatusBadRequest, ve.Error()
	case errors.Is(err, flow.ErrInvalidFlow):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "conflict: the record already exists"
	case errors.Is(err, credentials.ErrDecrypt):
		return http.StatusInternalServerError, "credential data cannot be decrypted with this server's secret key (was SECRETKEY_PATH or FLOWISE_SECRETKEY_OVERWRITE changed?)"
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled"
	default:
		return http.StatusInternalServerError, "Internal Server Error"
	}
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
