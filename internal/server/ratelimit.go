package server

import (
	"net"
	"sync"
	"time"
)

// limiter is a fixed-window rate limiter per (chatflow, client IP), the
// semantics of express-rate-limit that Flowise uses: at most max requests
// in each window of the given length.
type limiter struct {
	mu sync.Mutex
	// guards windows
	windows map[string]*window
	swept   time.Time
}

type window struct {
	start time.Time
	count int
}

func newLimiter() *limiter { return &limiter{windows: map[string]*window{}} }

// allow counts one request and reports whether it is within the limit.
func (l *limiter) allow(chatflowID, clientIP string, max int, length time.Duration, now time.Time) bool {
	key := chatflowID + "|" + clientIP
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, w := range l.windows {
			if now.Sub(w.start) > 24*time.Hour {
				delete(l.windows, k)
			}
		}
		l.swept = now
	}
	w, ok := l.windows[key]
	if !ok || now.Sub(w.start) >= length {
		w = &window{start: now}
		l.windows[key] = w
	}
	w.count++
	return w.count <= max
}

// clientIP is the caller's address (proxy headers are not trusted).
func clientIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}
