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
	// fileUpload is the File Upload option: searches see only chatID's
	// documents and those of no chat (see scoped), and upserts write
	// chatID, when set, as flowise_chatId into the documents' metadata.
	fileUpload bool
	chatID     string // the runtime's chat id
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
// recordManager, fileUpload, topK and the MMR settings) around s. With
// File Upload on, the chat is rt's.
func newInstance(data *node.Data, rt *node.Runtime, s store, filter llm.Filter) (*instance, error) {
	in := &instance{store: s, filter: filter}
	var err error
	if in.loaders, err = node.InputList[any](data, inDocument); err != nil {
		return nil, err
	}
	if in.fileUpload, err = data.Bool(inFileUpload, false); err != nil {
		return nil, err
	}
	if in.fileUpload && rt != nil {
		in.chatID = rt.ChatID
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

// scoped returns f with the File Upload chat scope added when the option
// is on: the key flowise_chatId set to the chat id, which every store of
// the package reads as "documents of this chat or of no chat" (only those
// of no chat for an empty chat id). It is added to every search, so a
// caller's filter narrows the scope but never widens it. f is not changed.
func (in *instance) scoped(f llm.Filter) llm.Filter {
	if !in.fileUpload {
		return f
	}
	out := maps.Clone(f)
	if out == nil {
		out = llm.Filter{}
	}
	out[chatIDKey] = in.chatID
	return out
}

// documents loads the document inputs: each is an [llm.Loader] (a document
// loader node), a []llm.Document or an llm.Document. Documents with empty
// page content are dropped, as in Flowise; the others get chatID as
// flowise_chatId when it is set.
func (in *instance) documents(ctx context.Context, chatID string) ([]llm.Document, error) {
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
		if chatID != "" {
			d.Metadata = maps.Clone(d.Metadata)
			if d.Metadata == nil {
				d.Metadata = map[string]any{}
			}
			d.Metadata[chatIDKey] = chatID
		}
		out = append(out, d)
	}
	return out, nil
}

// Upsert implements [llm.Upserter]: it loads the document inputs and
// stores them, through [llm.Index] when a record manager is connected.
// With File Upload on and a chat id (a chat's upload), the documents are
// tagged with the chat id and added to what the store holds; otherwise a
// store that replaces its contents on upsert (reset) does so.
func (in *instance) Upsert(ctx context.Context) (llm.UpsertResult, error) {
	replace := in.chatID == ""
	if in.upsertMu == nil {
		return in.upsert(ctx, in.chatID, replace)
	}
	in.upsertMu.Lock()
	defer in.upsertMu.Unlock()
	res, err := in.upsert(ctx, in.chatID, replace)
	if err == nil && in.upserted != nil {
		in.upserted()
	}
	return res, err
}

// upsert stores the document inputs tagged with chatID (none when ""),
// emptying a store with reset first when replace is set and no record
// manager is connected.
func (in *instance) upsert(ctx context.Context, chatID string, replace bool) (llm.UpsertResult, error) {
	docs, err := in.documents(ctx, chatID)
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
	if replace && in.reset != nil {
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
// filter, within the chat scope when File Upload is on.
func (r *retriever) Retrieve(ctx context.Context, query string) ([]llm.Document, error) {
	f := r.scoped(r.filter)
	if r.useMMR {
		return r.store.MaxMarginalRelevanceSearch(ctx, query, r.k, r.fetchK, r.lambda, f)
	}
	hits, err := r.store.SimilaritySearch(ctx, query, r.k, f)
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
// without a filter use the node's; with File Upload on, every search keeps
// to the chat scope. AddDocuments writes documents as given (only Upsert
// tags them with the chat id), as LangChain's stores do in Flowise.
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
	return v.store.SimilaritySearch(ctx, query, k, v.scoped(v.or(f)))
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (v *vectorStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	if k <= 0 {
		k = v.k
	}
	return v.store.MaxMarginalRelevanceSearch(ctx, query, k, max(fetchK, k), lambda, v.scoped(v.or(f)))
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
