package vectorstores

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// store is what every vector store of this package implements.
type store interface {
	llm.VectorStore
	llm.MMRSearcher
}

// instance is the state shared by a vector store node's two outputs: the
// store, the document inputs to upsert and the search settings.
type instance struct {
	store   store
	loaders []any // the document input: loaders or documents
	rm      llm.RecordManager
	// name scopes the record manager's namespace to this store (Flowise's
	// vectorStoreName); "" leaves it.
	name string
	// reset, when set, empties the store before an upsert without a record
	// manager (stores whose upsert replaces their contents, as Flowise's
	// In-Memory and Faiss nodes do).
	reset func(context.Context) error
	// closeFn releases the store's connections.
	closeFn func(context.Context) error
	// chatID, when set, is written as flowise_chatId into the metadata of
	// upserted documents (the File Upload option).
	chatID string
	// upsertMu, when set, serialises upserts with other users of the same
	// contents, and upserted is then called after each successful one.
	upsertMu *sync.Mutex
	upserted func()

	k, fetchK int
	lambda    float64
	useMMR    bool
	// filter applies to searches that pass none (the node's metadata
	// filter input).
	filter llm.Filter
}

// newInstance reads the inputs every vector store node shares (document,
// recordManager, topK and the MMR settings) around s.
func newInstance(data *node.Data, s store, filter llm.Filter) (*instance, error) {
	in := &instance{store: s, filter: filter}
	var err error
	if in.loaders, err = node.InputList[any](data, inDocument); err != nil {
		return nil, err
	}
	if data.Has(inRecordManager) {
		if in.rm, err = node.Input[llm.RecordManager](data, inRecordManager); err != nil {
			return nil, err
		}
	}
	k, err := data.Float(inTopK, 4)
	if err != nil {
		return nil, err
	}
	in.k = max(int(k), 1)
	fetchK, err := data.Float(inFetchK, 20)
	if err != nil {
		return nil, err
	}
	in.fetchK = max(int(fetchK), in.k)
	if in.lambda, err = data.Float(inLambda, 0.5); err != nil {
		return nil, err
	}
	// Flowise reads the search type from outputs.searchType, where the UI
	// never saves it; Floe reads the input and falls back to that.
	searchType, err := data.String(inSearchType, "")
	if err != nil {
		return nil, err
	}
	if searchType == "" {
		searchType, _ = data.Outputs[inSearchType].(string)
	}
	switch searchType {
	case "", "similarity":
	case "mmr":
		in.useMMR = true
	default:
		return nil, fmt.Errorf("input %q: unknown search type %q (want similarity or mmr)", inSearchType, searchType)
	}
	return in, nil
}

// output returns what the node's chosen output is: a retriever, or the
// vector store itself (Flowise's default).
func (in *instance) output(data *node.Data) any {
	if out, _ := data.Outputs["output"].(string); out == outRetriever {
		return &retriever{in}
	}
	return &vectorStore{in}
}

// documents loads the document inputs: each is an [llm.Loader] (a document
// loader node), a []llm.Document or an llm.Document. Documents with empty
// page content are dropped, as in Flowise.
func (in *instance) documents(ctx context.Context) ([]llm.Document, error) {
	var docs []llm.Document
	for i, v := range in.loaders {
		switch x := v.(type) {
		case llm.Loader:
			loaded, err := x.Load(ctx)
			if err != nil {
				return nil, fmt.Errorf("loading documents of input %d: %w", i, err)
			}
			docs = append(docs, loaded...)
		case []llm.Document:
			docs = append(docs, x...)
		case llm.Document:
			docs = append(docs, x)
		default:
			return nil, fmt.Errorf("input %q item %d: got %T, want a document loader", inDocument, i, v)
		}
	}
	out := docs[:0]
	for _, d := range docs {
		if d.PageContent == "" {
			continue
		}
		if in.chatID != "" {
			d.Metadata = maps.Clone(d.Metadata)
			if d.Metadata == nil {
				d.Metadata = map[string]any{}
			}
			d.Metadata[chatIDKey] = in.chatID
		}
		out = append(out, d)
	}
	return out, nil
}

// Upsert implements [llm.Upserter]: it loads the document inputs and
// stores them, through [llm.Index] when a record manager is connected.
func (in *instance) Upsert(ctx context.Context) (llm.UpsertResult, error) {
	if in.upsertMu == nil {
		return in.upsert(ctx)
	}
	in.upsertMu.Lock()
	defer in.upsertMu.Unlock()
	res, err := in.upsert(ctx)
	if err == nil && in.upserted != nil {
		in.upserted()
	}
	return res, err
}

func (in *instance) upsert(ctx context.Context) (llm.UpsertResult, error) {
	docs, err := in.documents(ctx)
	if err != nil {
		return llm.UpsertResult{}, err
	}
	if in.rm != nil {
		var opts llm.IndexOptions
		if p, ok := in.rm.(llm.IndexOptionsProvider); ok {
			opts = p.IndexOptions()
		}
		opts.VectorStoreName = in.name
		return llm.Index(ctx, docs, in.store, in.rm, opts)
	}
	if in.reset != nil {
		if err := in.reset(ctx); err != nil {
			return llm.UpsertResult{}, fmt.Errorf("emptying the store: %w", err)
		}
	}
	if len(docs) > 0 {
		if _, err := in.store.AddDocuments(ctx, docs, nil); err != nil {
			return llm.UpsertResult{}, err
		}
	}
	return llm.UpsertResult{NumAdded: len(docs), AddedDocs: append([]llm.Document{}, docs...)}, nil
}

// Close releases the store's resources.
func (in *instance) Close(ctx context.Context) error {
	if in.closeFn == nil {
		return nil
	}
	return in.closeFn(ctx)
}

// retriever is a vector store node's "retriever" output.
type retriever struct{ *instance }

// Retrieve implements [llm.Retriever]: the topK documents closest to query
// (or chosen by MMR when the search type is mmr) matching the node's
// filter.
func (r *retriever) Retrieve(ctx context.Context, query string) ([]llm.Document, error) {
	if r.useMMR {
		return r.store.MaxMarginalRelevanceSearch(ctx, query, r.k, r.fetchK, r.lambda, r.filter)
	}
	hits, err := r.store.SimilaritySearch(ctx, query, r.k, r.filter)
	if err != nil {
		return nil, err
	}
	docs := make([]llm.Document, len(hits))
	for i, h := range hits {
		docs[i] = h.Document
	}
	return docs, nil
}

// vectorStore is a vector store node's "vectorStore" output. Searches
// without a filter use the node's.
type vectorStore struct{ *instance }

// AddDocuments implements [llm.VectorStore].
func (v *vectorStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	return v.store.AddDocuments(ctx, docs, ids)
}

// SimilaritySearch implements [llm.VectorStore].
func (v *vectorStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	if k <= 0 {
		k = v.k
	}
	return v.store.SimilaritySearch(ctx, query, k, v.or(f))
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (v *vectorStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	if k <= 0 {
		k = v.k
	}
	return v.store.MaxMarginalRelevanceSearch(ctx, query, k, max(fetchK, k), lambda, v.or(f))
}

// Delete implements [llm.VectorStore].
func (v *vectorStore) Delete(ctx context.Context, ids []string) error {
	return v.store.Delete(ctx, ids)
}

func (v *vectorStore) or(f llm.Filter) llm.Filter {
	if len(f) == 0 {
		return v.filter
	}
	return f
}

// readFilter parses a JSON metadata filter input (an object, or "" for
// none).
func readFilter(data *node.Data, name string) (llm.Filter, error) {
	var f map[string]any
	if err := data.JSON(name, &f); err != nil {
		return nil, err
	}
	return f, nil
}

// embedder returns the connected embeddings.
func embedder(data *node.Data) (llm.Embedder, error) {
	return node.Input[llm.Embedder](data, inEmbeddings)
}

// errNoDataDir reports a store that needs the server's data directory.
var errNoDataDir = errors.New("vectorstores: the server has no data directory")

var (
	_ llm.Upserter    = (*retriever)(nil)
	_ llm.Retriever   = (*retriever)(nil)
	_ llm.Upserter    = (*vectorStore)(nil)
	_ llm.VectorStore = (*vectorStore)(nil)
	_ llm.MMRSearcher = (*vectorStore)(nil)
)
