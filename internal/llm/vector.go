package llm

import (
	"context"
	"time"
)

// ScoredDocument is a search hit: a document and its similarity to the
// query. Score is cosine similarity in [-1, 1] (higher is closer) for every
// store, whatever the store's native metric, so thresholds mean the same
// everywhere.
type ScoredDocument struct {
	Document
	Score float64
}

// Filter restricts a search to documents whose metadata matches: every key
// must equal the given value (compared as JSON values). A nil or empty
// Filter matches everything. Stores that cannot filter natively filter in
// process.
type Filter map[string]any

// VectorStore stores embedded documents and searches them by similarity.
// A store embeds with the Embedder it was built with.
//
// AddDocuments embeds and stores docs. ids, when non-nil, has one id per
// document and replaces any stored document with the same id (upsert);
// otherwise the store generates ids. It returns the ids used, in order.
// SimilaritySearch returns at most k hits, closest first, matching filter.
// Delete removes the documents with the given ids; unknown ids are ignored.
// Implementations are safe for concurrent use.
type VectorStore interface {
	AddDocuments(ctx context.Context, docs []Document, ids []string) ([]string, error)
	SimilaritySearch(ctx context.Context, query string, k int, filter Filter) ([]ScoredDocument, error)
	Delete(ctx context.Context, ids []string) error
}

// MMRSearcher is implemented by stores that can rank by maximal marginal
// relevance: fetch fetchK candidates by similarity, then pick k of them
// trading relevance against diversity (lambda 1 = relevance only, 0 =
// diversity only).
type MMRSearcher interface {
	MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, filter Filter) ([]Document, error)
}

// Retriever returns the documents relevant to a query: a vector store
// node's "retriever" output, or a retriever node.
type Retriever interface {
	Retrieve(ctx context.Context, query string) ([]Document, error)
}

// TextSplitter cuts documents into chunks: a text splitter node.
// SplitDocuments keeps each document's metadata on its chunks (adding
// loc.lines as LangChain does where the splitter reports positions).
type TextSplitter interface {
	SplitText(text string) ([]string, error)
	SplitDocuments(docs []Document) ([]Document, error)
}

// Loader reads documents from a source: a document loader node. Loaders
// that have a text splitter input apply it before returning.
type Loader interface {
	Load(ctx context.Context) ([]Document, error)
}

// Upserter is implemented by vector store node instances: the engine's
// upsert mode calls it with the documents of the store's document inputs
// (loaders), and it stores them, through its record manager when it has
// one.
type Upserter interface {
	Upsert(ctx context.Context) (UpsertResult, error)
}

// UpsertResult is the Vector Upsert API's answer, as LangChain's indexing
// API counts: added, updated (replaced because content changed under the
// same key), deleted (by cleanup) and skipped (unchanged) documents.
type UpsertResult struct {
	NumAdded   int        `json:"numAdded"`
	NumDeleted int        `json:"numDeleted"`
	NumUpdated int        `json:"numUpdated"`
	NumSkipped int        `json:"numSkipped"`
	AddedDocs  []Document `json:"addedDocs"`
}

// RecordManager remembers which documents were written to a vector store,
// by key, so that re-upserting unchanged documents writes nothing
// (LangChain's indexing API; see [Index]). Keys are document hashes; a
// group id is the document's source id. Times are the record manager's own
// clock ([RecordManager.Now]). Implementations are safe for concurrent use.
type RecordManager interface {
	// Now returns the record manager's current time.
	Now(ctx context.Context) (time.Time, error)
	// Update records keys (with their group ids, same length or nil) as
	// written at time at, inserting or refreshing them.
	Update(ctx context.Context, keys, groupIDs []string, at time.Time) error
	// Exists reports for each key whether it is recorded.
	Exists(ctx context.Context, keys []string) ([]bool, error)
	// ListKeys returns the keys updated before the given time (zero: any
	// time) whose group id is in groupIDs (nil: any group).
	ListKeys(ctx context.Context, before time.Time, groupIDs []string) ([]string, error)
	// DeleteKeys forgets keys.
	DeleteKeys(ctx context.Context, keys []string) error
}
