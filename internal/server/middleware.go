package server

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// statusRecorder remembers the status written through it, so the logger and
// the panic handler know whether a response has started.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// recoverAndLog turns a panic into a 500 JSON error (when nothing has been
// written yet) and a log line, and logs every request at debug level.
func (s *Server) recoverAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeJSON(rec, http.StatusInternalServerError, errorBody{StatusCode: http.StatusInternalServerError, Message: "Internal Server Error"})
				}
			}
			s.log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// frameHeaders applies IFRAME_ORIGINS as Flowise does (reference §0.3).
func (s *Server) frameHeaders(next http.Handler) http.Handler {
	origins := strings.TrimSpace(s.cfg.IframeOrigins)
	var csp, xfo string
	switch origins {
	case "", "'self'":
		csp, xfo = "frame-ancestors 'self'", "SAMEORIGIN"
	case "'none'":
		csp, xfo = "frame-ancestors 'none'", "DENY"
	case "*":
		csp = "frame-ancestors *"
	default:
		csp = "frame-ancestors " + strings.Join(strings.Fields(strings.ReplaceAll(origins, ",", " ")), " ")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		if xfo != "" {
			w.Header().Set("X-Frame-Options", xfo)
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// chatbotPaths are the public chatbot URLs whose CORS also admits any origin
// (reference §8.5): the per-chatflow allowedOrigins check, which is what
// really blocks, happens in the handler.
var chatbotPaths = []string{"/api/v1/prediction/", "/api/v1/public-chatbotconfig/", "/api/v1/chatflows-streaming/"}

// cors applies CORS_ORIGINS. It only withholds headers, it never blocks a
// request; a preflight gets 204.
func (s *Server) cors(next http.Handler) http.Handler {
	allowed := s.cfg.CORSList()
	any := slices.Contains(allowed, "*")
	creds := s.cfg.CORSAllowCredentials && !any
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		ok := origin != "" && origin != "null" && (any || slices.Contains(allowed, strings.ToLower(origin)))
		if !ok && origin != "" && origin != "null" {
			p := strings.ToLower(r.URL.Path)
			ok = slices.ContainsFunc(chatbotPaths, func(prefix string) bool { return strings.HasPrefix(p, prefix) })
		}
		if ok {
			h := w.Header()
			h.Add("Vary", "Origin")
			if any && !creds {
				h.Set("Access-Control-Allow-Origin", "*")
			} else {
				h.Set("Access-Control-Allow-Origin", origin)
			}
			if creds {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE")
				if reqH := r.Header.Get("Access-Control-Request-Headers"); reqH != "" {
					h.Set("Access-Control-Allow-Headers", reqH)
				}
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies at FLOWISE_FILE_SIZE_LIMIT; a declared
// length over the cap is refused before reading.
func (s *Server) limitBody(next http.Handler) http.Handler {
	limit := int64(s.cfg.FileSizeLimit)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			writeError(w, r, s.log, &http.MaxBytesError{Limit: limit})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// headerCapture records the status ServeMux's built-in 404/405 handlers
// choose, without letting their plain-text body through.
type headerCapture struct {
	h      http.Header
	status int
}

func (c *headerCapture) Header() http.Header         { return c.h }
func (c *headerCapture) Write(b []byte) (int, error) { return len(b), nil }
func (c *headerCapture) WriteHeader(code int)        { c.status = code }

// jsonFallback serves mux, but answers unmatched paths (404) and wrong
// methods (405, with Allow) with Flowise's JSON error body.
func (s *Server) jsonFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No route takes "." or ".." segments: refuse them rather than
		// redirect to the cleaned path, so ids never smuggle traversal.
		for seg := range strings.SplitSeq(r.URL.Path, "/") {
			if seg == "." || seg == ".." {
				writeError(w, r, s.log, errorf(http.StatusBadRequest, "invalid path %q: dot segments are not allowed", r.URL.Path))
				return
			}
		}
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		c := &headerCapture{h: http.Header{}}
		h.ServeHTTP(c, r)
		switch c.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", c.h.Get("Allow"))
			writeError(w, r, s.log, errorf(http.StatusMethodNotAllowed, "method %s not allowed on %s", r.Method, r.URL.Path))
		case http.StatusMovedPermanently, http.StatusPermanentRedirect, http.StatusTemporaryRedirect:
			for k, v := range c.h {
				w.Header()[k] = v
			}
			w.WriteHeader(c.status)
		default:
			writeError(w, r, s.log, errorf(http.StatusNotFound, "route %s %s not found", r.Method, r.URL.Path))
		}
	})
}
