package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

// TestConcurrentWritesAndStatements mixes transactions with single-statement
// writes and reads on SQLite's one writer connection: prepared statements
// must never deadlock it.
func TestConcurrentWritesAndStatements(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 40; i++ {
					s := fmt.Sprint("s", g)
					_ = db.AddChatMessages(t.Context(),
						&store.ChatMessage{Role: "userMessage", ChatflowID: "f", Content: "q", ChatType: "EXTERNAL", ChatID: s, SessionID: &s},
						&store.ChatMessage{Role: "apiMessage", ChatflowID: "f", Content: "a", ChatType: "EXTERNAL", ChatID: s, SessionID: &s})
					v := &store.Variable{Name: fmt.Sprintf("v%d_%d", g, i), Type: "static"}
					_ = db.CreateVariable(t.Context(), v)
					v.Type = "runtime"
					_ = db.UpdateVariable(t.Context(), v)
					_, _ = db.ChatHistory(t.Context(), "f", s, 10)
				}
			}()
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("concurrent writes deadlocked")
	}
	turns, err := db.ChatHistory(t.Context(), "f", "s3", 0)
	if err != nil || len(turns) != 80 {
		t.Errorf("got %d turns (%v), want 80", len(turns), err)
	}
}
