// Package blobtest is the conformance suite every [blob.Store] passes:
// put, read, stream and delete, overwrite, chat and chatflow deletion,
// missing files, and refusal of every unsafe id or name.
package blobtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/floehq/floe/internal/blob"
)

// Chatflow ids the suite uses.
const (
	FlowA = "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
	FlowB = "0b7e4a52-92d4-4c1f-8a3e-1d2c3b4a5f60"
)

// UnsafeKey is a key every store must refuse with [blob.ErrInvalidName],
// with the field its error must name.
type UnsafeKey struct {
	Name  string
	Key   blob.Key
	Field string // "chatflow id", "chat id" or "file name"
}

// UnsafeKeys returns the path-safety table: traversal, separators,
// encoded separators, absolute paths, NUL and control bytes, hidden
// names, non-UUID chatflow ids and unsafe chat ids.
func UnsafeKeys() []UnsafeKey {
	name := func(n string) UnsafeKey {
		return UnsafeKey{fmt.Sprintf("name %q", n), blob.Key{ChatflowID: FlowA, Name: n}, "file name"}
	}
	chatName := func(n string) UnsafeKey {
		return UnsafeKey{fmt.Sprintf("chat file name %q", n), blob.Key{ChatflowID: FlowA, ChatID: "chat1", Name: n}, "file name"}
	}
	flow := func(id string) UnsafeKey {
		return UnsafeKey{fmt.Sprintf("chatflow %q", id), blob.Key{ChatflowID: id, Name: "a.txt"}, "chatflow id"}
	}
	chat := func(id string) UnsafeKey {
		return UnsafeKey{fmt.Sprintf("chat %q", id), blob.Key{ChatflowID: FlowA, ChatID: id, Name: "a.txt"}, "chat id"}
	}
	return []UnsafeKey{
		name(""), name("."), name(".."), name("../x"), name("../../etc/passwd"), name("a/b"), name(`a\b`),
		name(`..\secret.txt`), name("%2e%2e"), name("%2E%2e%2fx"), name("a%2Fb"), name("..%2fsecret.txt"),
		name("a%5Cb"), name("/etc/passwd"), name("a\x00b"), name("a\nb"), name(".env"), name("\xff.txt"),
		name(strings.Repeat("a", 256)),
		chatName("../a.txt"), chatName("a/b"),
		flow(""), flow("not-a-uuid"), flow("../" + FlowA), flow(FlowA + "/.."), flow(FlowA + "/x"),
		flow("%2e%2e"), flow("/etc"), flow(FlowA + "\x00"),
		chat("."), chat(".."), chat("../x"), chat("a/b"), chat(`a\b`), chat("/etc"), chat(".hidden"),
		chat("%2e%2e"), chat("a b"), chat("a\x00"), chat(strings.Repeat("c", 129)),
	}
}

// Run runs the suite. newStore returns a new, empty store for each
// subtest; the suite closes it when the subtest ends.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	open := func(t *testing.T) blob.Store {
		s := newStore(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	a := blob.Key{ChatflowID: FlowA, Name: "a.txt"}

	t.Run("PutReadOpen", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, a, "hello")
		checkContent(t, s, a, "hello")
	})
	t.Run("Overwrite", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, a, "first version, longer")
		mustPut(t, s, a, "second")
		checkContent(t, s, a, "second")
	})
	t.Run("EmptyFile", func(t *testing.T) {
		s := open(t)
		if err := s.Put(t.Context(), a, nil); err != nil {
			t.Fatalf("Put(empty): %v", err)
		}
		checkContent(t, s, a, "")
	})
	t.Run("Names", func(t *testing.T) {
		s := open(t)
		for _, n := range []string{"my file (1).pdf", "résumé.txt", "a+b=c&d;e,f$g@h!.txt", "100%.txt", "日本語.md", "~tilde.txt"} {
			k := blob.Key{ChatflowID: FlowA, ChatID: "chat-1_x.y", Name: n}
			mustPut(t, s, k, "content of "+n)
			checkContent(t, s, k, "content of "+n)
		}
	})
	t.Run("ChatflowIDCase", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, blob.Key{ChatflowID: strings.ToUpper(FlowA), Name: "a.txt"}, "upper")
		checkContent(t, s, a, "upper")
	})
	t.Run("ChatScope", func(t *testing.T) {
		s := open(t)
		inChat := blob.Key{ChatflowID: FlowA, ChatID: "chat1", Name: "a.txt"}
		mustPut(t, s, a, "flow-level")
		mustPut(t, s, inChat, "chat-level")
		checkContent(t, s, a, "flow-level")
		checkContent(t, s, inChat, "chat-level")
		checkMissing(t, s, blob.Key{ChatflowID: FlowA, ChatID: "chat2", Name: "a.txt"})
		checkMissing(t, s, blob.Key{ChatflowID: FlowB, ChatID: "chat1", Name: "a.txt"})
	})
	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		checkMissing(t, s, a)
		checkMissing(t, s, blob.Key{ChatflowID: FlowB, ChatID: "chat1", Name: "missing.pdf"})
	})
	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, a, "x")
		for i := range 2 { // the second time the file is already gone
			if err := s.Delete(t.Context(), a); err != nil {
				t.Fatalf("Delete #%d: %v", i+1, err)
			}
		}
		checkMissing(t, s, a)
		if err := s.Delete(t.Context(), blob.Key{ChatflowID: FlowB, ChatID: "c", Name: "never.txt"}); err != nil {
			t.Errorf("Delete(never stored): got %v, want nil", err)
		}
	})
	t.Run("DeleteChat", func(t *testing.T) {
		s := open(t)
		gone := []blob.Key{
			{ChatflowID: FlowA, ChatID: "chat1", Name: "a.txt"},
			{ChatflowID: FlowA, ChatID: "chat1", Name: "b.png"},
		}
		kept := []blob.Key{
			a,
			{ChatflowID: FlowA, Name: "chat1.txt"},
			{ChatflowID: FlowA, ChatID: "chat10", Name: "a.txt"}, // shares the prefix "chat1"
			{ChatflowID: FlowA, ChatID: "chat2", Name: "a.txt"},
			{ChatflowID: FlowB, ChatID: "chat1", Name: "a.txt"},
		}
		for _, k := range append(gone, kept...) {
			mustPut(t, s, k, k.ChatflowID+k.ChatID+k.Name)
		}
		if err := s.DeleteChat(t.Context(), FlowA, "chat1"); err != nil {
			t.Fatalf("DeleteChat: %v", err)
		}
		for _, k := range gone {
			checkMissing(t, s, k)
		}
		for _, k := range kept {
			checkContent(t, s, k, k.ChatflowID+k.ChatID+k.Name)
		}
		if err := s.DeleteChat(t.Context(), FlowA, "no-such-chat"); err != nil {
			t.Errorf("DeleteChat(no files): got %v, want nil", err)
		}
	})
	t.Run("DeleteChatManyFiles", func(t *testing.T) {
		s := open(t)
		var keys []blob.Key
		for i := range 25 {
			keys = append(keys, blob.Key{ChatflowID: FlowA, ChatID: "big", Name: fmt.Sprintf("f%02d.txt", i)})
		}
		for _, k := range keys {
			mustPut(t, s, k, k.Name)
		}
		if err := s.DeleteChat(t.Context(), strings.ToUpper(FlowA), "big"); err != nil {
			t.Fatalf("DeleteChat: %v", err)
		}
		for _, k := range keys {
			checkMissing(t, s, k)
		}
	})
	t.Run("DeleteChatflow", func(t *testing.T) {
		s := open(t)
		gone := []blob.Key{a, {ChatflowID: FlowA, ChatID: "chat1", Name: "a.txt"}, {ChatflowID: FlowA, ChatID: "chat2", Name: "b.txt"}}
		kept := []blob.Key{{ChatflowID: FlowB, Name: "a.txt"}, {ChatflowID: FlowB, ChatID: "chat1", Name: "a.txt"}}
		for _, k := range append(gone, kept...) {
			mustPut(t, s, k, k.ChatflowID+k.ChatID+k.Name)
		}
		for i := range 2 {
			if err := s.DeleteChatflow(t.Context(), FlowA); err != nil {
				t.Fatalf("DeleteChatflow #%d: %v", i+1, err)
			}
		}
		for _, k := range gone {
			checkMissing(t, s, k)
		}
		for _, k := range kept {
			checkContent(t, s, k, k.ChatflowID+k.ChatID+k.Name)
		}
	})
	t.Run("ConcurrentPut", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		contents := map[string]bool{}
		for i := range 8 {
			c := strings.Repeat(fmt.Sprint(i), 10000+i)
			contents[c] = true
			wg.Go(func() {
				if err := s.Put(t.Context(), a, []byte(c)); err != nil {
					t.Errorf("Put: %v", err)
				}
			})
		}
		wg.Wait()
		got, err := s.ReadFile(t.Context(), a)
		if err != nil || !contents[string(got)] {
			t.Errorf("after concurrent puts: got %d bytes, %v; want one writer's whole content", len(got), err)
		}
	})
	t.Run("UnsafeKeys", func(t *testing.T) {
		s := open(t)
		for _, u := range UnsafeKeys() {
			CheckRefused(t, s, u)
		}
		for _, id := range []string{"", "not-a-uuid", "../" + FlowA, FlowA + "/.."} {
			if err := s.DeleteChatflow(t.Context(), id); !errors.Is(err, blob.ErrInvalidName) {
				t.Errorf("DeleteChatflow(%q): got %v, want ErrInvalidName", id, err)
			}
			if err := s.DeleteChat(t.Context(), id, "chat1"); !errors.Is(err, blob.ErrInvalidName) {
				t.Errorf("DeleteChat(%q, chat1): got %v, want ErrInvalidName", id, err)
			}
		}
		for _, id := range []string{"", ".", "..", "../x", "a/b", `a\b`, ".hidden"} {
			if err := s.DeleteChat(t.Context(), FlowA, id); !errors.Is(err, blob.ErrInvalidName) {
				t.Errorf("DeleteChat(FlowA, %q): got %v, want ErrInvalidName", id, err)
			}
		}
	})
}

// CheckRefused checks that Put, ReadFile, Open and Delete all refuse u's
// key with [blob.ErrInvalidName] and an error naming u.Field.
func CheckRefused(t *testing.T, s blob.Store, u UnsafeKey) {
	t.Helper()
	check := func(op string, err error) {
		t.Helper()
		if !errors.Is(err, blob.ErrInvalidName) {
			t.Errorf("%s(%s): got %v, want ErrInvalidName", op, u.Name, err)
		} else if !strings.Contains(err.Error(), u.Field) {
			t.Errorf("%s(%s): got %q, want an error naming the %s", op, u.Name, err, u.Field)
		}
	}
	check("Put", s.Put(t.Context(), u.Key, []byte("x")))
	data, err := s.ReadFile(t.Context(), u.Key)
	check("ReadFile", err)
	if data != nil {
		t.Errorf("ReadFile(%s): got %q, want no data", u.Name, data)
	}
	r, _, err := s.Open(t.Context(), u.Key)
	check("Open", err)
	if r != nil {
		r.Close()
		t.Errorf("Open(%s): got a reader, want none", u.Name)
	}
	check("Delete", s.Delete(t.Context(), u.Key))
}

func mustPut(t *testing.T, s blob.Store, k blob.Key, content string) {
	t.Helper()
	if err := s.Put(t.Context(), k, []byte(content)); err != nil {
		t.Fatalf("Put(%+v): %v", k, err)
	}
}

// checkContent reads k with ReadFile and with Open and compares both.
func checkContent(t *testing.T, s blob.Store, k blob.Key, want string) {
	t.Helper()
	got, err := s.ReadFile(t.Context(), k)
	if err != nil {
		t.Errorf("ReadFile(%+v): %v", k, err)
	} else if string(got) != want {
		t.Errorf("ReadFile(%+v): got %q, want %q", k, got, want)
	}
	r, size, err := s.Open(t.Context(), k)
	if err != nil {
		t.Errorf("Open(%+v): %v", k, err)
		return
	}
	defer r.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		t.Errorf("reading Open(%+v): %v", k, err)
	}
	if buf.String() != want {
		t.Errorf("Open(%+v): got %q, want %q", k, buf.String(), want)
	}
	if size != -1 && size != int64(len(want)) {
		t.Errorf("Open(%+v): got size %d, want %d (or -1)", k, size, len(want))
	}
}

// checkMissing checks that ReadFile and Open report k as not found.
func checkMissing(t *testing.T, s blob.Store, k blob.Key) {
	t.Helper()
	if data, err := s.ReadFile(t.Context(), k); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("ReadFile(%+v): got %q, %v; want ErrNotFound", k, data, err)
	}
	r, _, err := s.Open(t.Context(), k)
	if !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open(%+v): got %v, want ErrNotFound", k, err)
	}
	if r != nil {
		r.Close()
	}
}
