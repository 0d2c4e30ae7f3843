package embeddings

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/floehq/floe/internal/llm"
)

// defaultConcurrency is how many batches a node sends at once: LangChain's
// maxConcurrency for OpenAI and Cohere embeddings.
const defaultConcurrency = 2

// embedFunc embeds one batch: one vector per text, in order.
type embedFunc func(ctx context.Context, texts []string) ([][]float32, error)

// batcher is the [llm.Embedder] every node returns. It prepares texts as
// Flowise's LangChain classes do (optionally replacing each newline with a
// space), splits them into batches of at most size texts, and sends up to
// concurrency batches at a time through call. Vectors come back in the order
// of the texts. The first failing batch cancels the others and its error is
// returned; when ctx ends, Embed returns ctx.Err().
//
// A batcher is safe for concurrent use when call is.
type batcher struct {
	// node names the node in errors.
	node string
	// size is the largest batch; zero or less sends everything at once.
	size int
	// concurrency bounds the batches in flight; zero or less means one.
	concurrency int
	// stripNewLines replaces "\n" with " " in every text before sending.
	stripNewLines bool
	call          embedFunc
}

// Embed returns one vector per text; see [llm.Embedder].
func (b *batcher) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	if b.stripNewLines {
		stripped := make([]string, len(texts))
		for i, t := range texts {
			stripped[i] = strings.ReplaceAll(t, "\n", " ")
		}
		texts = stripped
	}
	size := b.size
	if size <= 0 || size > len(texts) {
		size = len(texts)
	}
	out := make([][]float32, len(texts))
	if size == len(texts) {
		if err := b.run(ctx, texts, out); err != nil {
			return nil, err
		}
		return out, nil
	}

	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(b.concurrency, 1))
	var mu sync.Mutex // guards first
	var first error
	for start := 0; start < len(texts) && callCtx.Err() == nil; start += size {
		end := min(start+size, len(texts))
		select {
		case sem <- struct{}{}:
		case <-callCtx.Done():
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := b.run(callCtx, texts[start:end], out[start:end]); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if first != nil {
		return nil, first
	}
	return out, nil
}

// run embeds one batch into dst, which has one slot per text.
func (b *batcher) run(ctx context.Context, texts []string, dst [][]float32) error {
	vecs, err := b.call(ctx, texts)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return err
	}
	if len(vecs) != len(texts) {
		return fmt.Errorf("%s: got %d embeddings for %d texts", b.node, len(vecs), len(texts))
	}
	copy(dst, vecs)
	return nil
}

var _ llm.Embedder = (*batcher)(nil)
