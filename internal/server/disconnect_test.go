package server

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/store"
)

// streamUntilFirstToken starts a streaming prediction over a real
// connection and returns once the first token event has arrived.
func streamUntilFirstToken(t *testing.T, ctx context.Context, url, body string) (*http.Response, *bufio.Reader) {
	t.Helper()
	rq, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
	rq.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(rq)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before a token: %v", err)
		}
		if strings.Contains(line, `"event":"token"`) {
			return resp, br
		}
	}
}

func waitRows(t *testing.T, db *store.DB, chatflowID string, n int) []store.ChatMessage {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rows, err := db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: chatflowID})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) >= n || time.Now().After(deadline) {
			return rows
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestClientDisconnect: closing the connection mid-stream cancels the
// model call within 100 ms, the partial answer is saved, and no goroutine
// is left behind.
func TestClientDisconnect(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	fake.Hold = make(chan struct{})
	id := e.openAIConversation(fake, nil)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	warm := func() {
		ctx, cancel := context.WithCancel(t.Context())
		resp, _ := streamUntilFirstToken(t, ctx, ts.URL+"/api/v1/prediction/"+id, `{"question":"warm up","streaming":true}`)
		cancel()
		resp.Body.Close()
		<-fake.Cancelled
	}
	warm() // let pools and keep-alive goroutines settle first
	waitRows(t, e.db, id, 2)
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(t.Context())
	resp, _ := streamUntilFirstToken(t, ctx, ts.URL+"/api/v1/prediction/"+id, `{"question":"Tell me a long story","chatId":"gone","streaming":true}`)
	closed := time.Now()
	cancel()
	resp.Body.Close()
	select {
	case at := <-fake.Cancelled:
		if d := at.Sub(closed); d > 100*time.Millisecond {
			t.Errorf("the model request was cancelled %v after the client left, want ≤ 100ms", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the model request was never cancelled")
	}
	rows := waitRows(t, e.db, id, 4)
	var partial *store.ChatMessage
	for i := range rows {
		if rows[i].ChatID == "gone" && rows[i].Role == "apiMessage" {
			partial = &rows[i]
		}
	}
	if partial == nil || partial.Content != "echo:" {
		t.Errorf("partial answer not stored: %+v", rows)
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines: %d before, %d after the disconnect\n%s", before, after, buf[:n])
	}
}

// TestAbortRoute: PUT /chatmessage/abort stops a running V1 chain (Flowise
// cannot); the stream ends with exactly one end event.
func TestAbortRoute(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	fake.Hold = make(chan struct{})
	id := e.openAIConversation(fake, nil)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	resp, br := streamUntilFirstToken(t, t.Context(), ts.URL+"/api/v1/prediction/"+id, `{"question":"abort me","chatId":"chat-a","streaming":true}`)
	defer resp.Body.Close()
	r := e.do(req{method: "PUT", path: "/api/v1/chatmessage/abort/" + id + "/chat-a"})
	if r.status != 200 || !strings.Contains(string(r.body), "Chat message aborted") {
		t.Fatalf("abort: got %d %s", r.status, r.body)
	}
	select {
	case <-fake.Cancelled:
	case <-time.After(2 * time.Second):
		t.Fatal("abort did not cancel the model request")
	}
	var rest bytes.Buffer
	if _, err := rest.ReadFrom(br); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(rest.String(), `"event":"end"`); n != 1 {
		t.Errorf("got %d end events after abort, want 1:\n%s", n, rest.String())
	}
	rows := waitRows(t, e.db, id, 2)
	if len(rows) != 2 || rows[1].Content != "echo:" {
		t.Errorf("aborted turn: got %+v, want the partial answer saved", rows)
	}
	// Bad ids are refused before anything else.
	checkError(t, e.do(req{method: "PUT", path: "/api/v1/chatmessage/abort/not-a-uuid/chat-a"}), 400, "Invalid Chatflow ID")
}

// TestStreamHeartbeatAndError: an idle stream gets ":heartbeat" comments,
// and a model failure after the stream started is an error event followed
// by exactly one end.
func TestStreamHeartbeatAndError(t *testing.T) {
	old := heartbeatEvery
	heartbeatEvery = 20 * time.Millisecond
	defer func() { heartbeatEvery = old }()
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	fake.Delay = 120 * time.Millisecond
	id := e.openAIConversation(fake, nil)
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "slow", "streaming": true}})
	if !strings.Contains(string(r.body), ":heartbeat\n\n") {
		t.Errorf("no heartbeat in a slow stream:\n%s", r.body)
	}
	if n := strings.Count(string(r.body), `"event":"end"`); n != 1 {
		t.Errorf("got %d end events, want 1", n)
	}

	fake.Delay, fake.FailStatus = 0, http.StatusInternalServerError
	r = e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "fail", "streaming": true}})
	evs := sseEvents(t, r.body)
	if got := eventNames(evs); got != "error,end" {
		t.Errorf("events: got %s, want error,end", got)
	}
	if len(evs) > 0 && !strings.Contains(evs[0]["data"].(string), "500") {
		t.Errorf("error event does not carry the provider's failure: %v", evs[0])
	}
	// The same failure without streaming is a JSON error.
	checkError(t, e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "fail"}}), 500, "500")
	rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id, SessionID: ""})
	for _, m := range rows {
		if m.Content == "fail" {
			t.Errorf("a failed turn was stored: %+v", m)
		}
	}
}
