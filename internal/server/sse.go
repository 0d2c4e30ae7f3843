package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/floehq/floe/internal/node"
)

// heartbeatEvery is how often an idle stream gets a ":heartbeat" comment.
var heartbeatEvery = 30 * time.Second

// sseStream writes Flowise's event-stream framing (reference §2.2): every
// event is "message:\ndata:{"event":..,"data":..}\n\n", flushed at once.
// It is safe for concurrent use (the heartbeat writes from its own
// goroutine). Write errors (a gone client) are remembered and end further
// writes; the request context tells the run to stop.
type sseStream struct {
	rc *http.ResponseController
	w  http.ResponseWriter

	mu sync.Mutex
	// guards started, ended, err and writes to w
	started bool
	ended   bool
	err     error
	stop    chan struct{}
}

// startSSE sends the headers and starts the heartbeat. Only call it once
// the request is known to be valid: after this, failures become events.
func startSSE(w http.ResponseWriter) *sseStream {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	s := &sseStream{rc: http.NewResponseController(w), w: w, stop: make(chan struct{})}
	_ = s.rc.SetWriteDeadline(time.Time{})
	_ = s.rc.Flush()
	go s.heartbeat()
	return s
}

func (s *sseStream) heartbeat() {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			if !s.ended {
				s.writeLocked([]byte(":heartbeat\n\n"))
			}
			s.mu.Unlock()
		}
	}
}

func (s *sseStream) writeLocked(b []byte) {
	if s.err != nil {
		return
	}
	if _, err := s.w.Write(b); err != nil {
		s.err = err
		return
	}
	s.err = s.rc.Flush()
}

// frame renders one event as Flowise does: JSON.stringify has no HTML
// escaping and no trailing newline.
func frame(event string, data any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("message:\ndata:")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Event string `json:"event"`
		Data  any    `json:"data"`
	}{event, data}); err != nil {
		return nil, err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	buf.WriteString("\n\n")
	return buf.Bytes(), nil
}

// send writes one event unless the stream has ended.
func (s *sseStream) send(event string, data any) error {
	b, err := frame(event, data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return nil
	}
	s.writeLocked(b)
	return s.err
}

// Emit implements node.Emitter: the first token is preceded by a start
// event, as Flowise's streaming handler does.
func (s *sseStream) Emit(e node.Event) error {
	if e.Kind == node.EventToken {
		s.mu.Lock()
		first := !s.started
		s.started = true
		s.mu.Unlock()
		if first {
			if err := s.send(string(node.EventStart), ""); err != nil {
				return err
			}
		}
	}
	return s.send(string(e.Kind), e.Data)
}

// end writes the one final end event and stops the heartbeat. Later calls
// do nothing.
func (s *sseStream) end() {
	b, _ := frame("end", "[DONE]")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	s.writeLocked(b)
	s.ended = true
	close(s.stop)
}
