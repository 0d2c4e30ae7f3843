package embeddings

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// lengthVectors embeds each text as the one-element vector {len(text)},
// after sleeping longer for earlier batches so that they finish last.
func lengthVectors(ctx context.Context, texts []string) ([][]float32, error) {
	select {
	case <-time.After(time.Duration(200-len(texts[0])) * 50 * time.Microsecond):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = []float32{float32(len(t))}
	}
	return out, nil
}

func TestBatcher(t *testing.T) {
	texts := make([]string, 11)
	for i := range texts {
		texts[i] = strings.Repeat("x", i+1)
	}
	want := make([][]float32, len(texts))
	for i := range want {
		want[i] = []float32{float32(i + 1)}
	}
	tests := []struct {
		name        string
		size, conc  int
		texts       []string
		want        [][]float32
		wantBatches []int
	}{
		{name: "batches of 3, two at a time", size: 3, conc: 2, texts: texts, want: want, wantBatches: []int{3, 3, 3, 2}},
		{name: "batches of 1, eight at a time", size: 1, conc: 8, texts: texts, want: want, wantBatches: []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{name: "no size sends one batch", size: 0, conc: 2, texts: texts, want: want, wantBatches: []int{11}},
		{name: "size above the count sends one batch", size: 50, conc: 0, texts: texts, want: want, wantBatches: []int{11}},
		{name: "no texts", size: 3, conc: 2, texts: nil, want: [][]float32{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex // guards batches
			var batches []int
			var inFlight, most atomic.Int32
			b := &batcher{node: "test", size: tc.size, concurrency: tc.conc, call: func(ctx context.Context, texts []string) ([][]float32, error) {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				mu.Lock()
				batches = append(batches, len(texts))
				mu.Unlock()
				return lengthVectors(ctx, texts)
			}}
			got, err := b.Embed(t.Context(), tc.texts)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
			if got, want := sum(batches), sum(tc.wantBatches); got != want || len(batches) != len(tc.wantBatches) {
				t.Errorf("batches = %v, want sizes %v", batches, tc.wantBatches)
			}
			if limit := int32(max(tc.conc, 1)); most.Load() > limit {
				t.Errorf("%d batches in flight, want at most %d", most.Load(), limit)
			}
		})
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func TestBatcherStripNewLines(t *testing.T) {
	var got []string
	b := &batcher{node: "test", stripNewLines: true, call: func(_ context.Context, texts []string) ([][]float32, error) {
		got = texts
		return make([][]float32, len(texts)), nil
	}}
	in := []string{"a\nb\n\nc", "d"}
	if _, err := b.Embed(t.Context(), in); err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if diff := cmp.Diff([]string{"a b  c", "d"}, got); diff != "" {
		t.Errorf("sent texts (-want +got):\n%s", diff)
	}
	if in[0] != "a\nb\n\nc" {
		t.Errorf("Embed modified the caller's texts: %q", in[0])
	}
}

func TestBatcherErrors(t *testing.T) {
	errVendor := errors.New("vendor said no")
	t.Run("first failure cancels the other batches", func(t *testing.T) {
		var cancelled atomic.Int32
		b := &batcher{node: "test", size: 1, concurrency: 3, call: func(ctx context.Context, texts []string) ([][]float32, error) {
			if texts[0] == "bad" {
				return nil, errVendor
			}
			select {
			case <-ctx.Done():
				cancelled.Add(1)
				return nil, ctx.Err()
			case <-time.After(5 * time.Second):
				return [][]float32{{1}}, nil
			}
		}}
		start := time.Now()
		got, err := b.Embed(t.Context(), []string{"slow", "bad", "slow", "slow", "slow"})
		if !errors.Is(err, errVendor) || got != nil {
			t.Errorf("Embed = %v, %v; want nil, %v", got, err, errVendor)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Embed took %v; the other batches were not cancelled", d)
		}
		if cancelled.Load() == 0 {
			t.Errorf("no batch saw its context cancelled")
		}
	})
	t.Run("wrong number of vectors", func(t *testing.T) {
		b := &batcher{node: "test", call: func(context.Context, []string) ([][]float32, error) { return [][]float32{{1}}, nil }}
		_, err := b.Embed(t.Context(), []string{"a", "b"})
		if err == nil || err.Error() != "test: got 1 embeddings for 2 texts" {
			t.Errorf("Embed error = %v, want a count mismatch", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		b := &batcher{node: "test", size: 1, concurrency: 1, call: func(ctx context.Context, texts []string) ([][]float32, error) {
			return nil, errors.New("should not matter")
		}}
		if _, err := b.Embed(ctx, []string{"a", "b"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Embed error = %v, want context.Canceled", err)
		}
	})
}
