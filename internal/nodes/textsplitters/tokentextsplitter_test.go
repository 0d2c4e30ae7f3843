package textsplitters

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestTokenTextSplitterInit(t *testing.T) {
	for _, enc := range []string{"gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"} {
		t.Run(enc, func(t *testing.T) {
			s, err := initJSON(t, tokenTextSplitter, `{"inputs":{"encodingName":"`+enc+`","chunkSize":"4","chunkOverlap":"1"}}`)
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			got, err := s.SplitText("hello world, hello tokens")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) < 2 || !strings.HasPrefix(got[0], "hello") {
				t.Errorf("SplitText = %q, want several chunks starting with %q", got, "hello")
			}
		})
	}

	t.Run("default encoding is gpt2", func(t *testing.T) {
		s, err := initJSON(t, tokenTextSplitter, `{"inputs":{"encodingName":"","chunkSize":"2","chunkOverlap":"0"}}`)
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		if got := chunkerOf(t, s).(*tokens).name; got != "gpt2" {
			t.Errorf("encoding = %q, want gpt2", got)
		}
	})

	t.Run("unknown encoding", func(t *testing.T) {
		_, err := initJSON(t, tokenTextSplitter, `{"inputs":{"encodingName":"bert"}}`)
		var ie *node.InputError
		if !errors.As(err, &ie) || ie.Input != inEncodingName || !strings.Contains(err.Error(), `unknown encoding "bert"`) {
			t.Errorf("Init error = %v, want an unknown-encoding error naming %q", err, inEncodingName)
		}
	})
}

func TestTokenTextSplitterSpecialTokens(t *testing.T) {
	s, err := initJSON(t, tokenTextSplitter, `{"inputs":{"encodingName":"cl100k_base"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SplitText("before <|endofprompt|> after"); err == nil || !strings.Contains(err.Error(), "<|endofprompt|>") {
		t.Errorf("SplitText error = %v, want one naming the special token", err)
	}
	// gpt2 has no <|endofprompt|>: it is ordinary text there.
	s, err = initJSON(t, tokenTextSplitter, `{"inputs":{"encodingName":"gpt2"}}`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SplitText("before <|endofprompt|> after")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"before <|endofprompt|> after"}, got); diff != "" {
		t.Errorf("SplitText (-want +got):\n%s", diff)
	}
}

func TestTokenTextSplitterDecoding(t *testing.T) {
	s, err := initJSON(t, tokenTextSplitter, `{"inputs":{"encodingName":"cl100k_base","chunkSize":"1","chunkOverlap":"0"}}`)
	if err != nil {
		t.Fatal(err)
	}
	// A byte order mark is one token; TextDecoder drops it. "😀" spans
	// two tokens, each decoding to a replacement character.
	got, err := s.SplitText("\uFEFF😀")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if strings.ContainsRune(c, '\uFEFF') {
			t.Errorf("chunk %q keeps the byte order mark", c)
		}
	}
	if n := strings.Count(strings.Join(got, ""), "\uFFFD"); n == 0 {
		t.Errorf("SplitText = %q, want replacement characters for the split emoji", got)
	}
}
