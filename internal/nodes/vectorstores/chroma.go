package vectorstores

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/chroma"
)

const (
	inChromaURL    = "chromaURL"
	inChromaFilter = "chromaMetadataFilter"
)

// chromaNode mirrors Flowise's Chroma node (nodes/vectorstores/Chroma)
// over Chroma's REST API (v2, or v1 for older servers). The collection is
// created on first use with Chroma's default settings.
//
// Flowise's node has no File Upload input; Floe adds it as an additional
// parameter, scoped as in Flowise's other stores: a chat's uploads are
// tagged with the chat id, and searches see that chat's documents and
// those of no chat. Chroma's where clause cannot say "key absent" (it has
// no $exists), so that scope is applied by chromaStore after the query.
var chromaNode = node.Definition{
	Spec: node.Spec{
		Label:       "Chroma",
		Name:        "chroma",
		Version:     2,
		Type:        "Chroma",
		Icon:        "chroma.svg",
		Category:    category,
		Description: "Upsert embedded data and perform similarity search upon query using Chroma, an open-source embedding database",
		BaseClasses: baseClasses("Chroma"),
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			Description:     "Only needed if you have chroma on cloud services with X-Api-key",
			Optional:        true,
			CredentialNames: []string{"chromaApi"},
		},
		Inputs: []node.Param{
			documentParam(),
			embeddingsParam(),
			recordManagerParam(),
			{Label: "Collection Name", Name: inCollectionName, Type: node.TypeString},
			{Label: "Chroma URL", Name: inChromaURL, Type: node.TypeString, Optional: true},
			{Label: "Chroma Metadata Filter", Name: inChromaFilter, Type: node.TypeJSON, Optional: true, AdditionalParams: true, AcceptVariable: true},
			topKParam(true),
			fileUploadParam(),
		},
		Outputs: outputs("Chroma", "Chroma", "VectorStore"),
	},
	Init: initChroma,
}

func initChroma(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	emb, err := embedder(data)
	if err != nil {
		return nil, err
	}
	name, err := data.String(inCollectionName, "")
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, fmt.Errorf("input %q: a collection name is required", inCollectionName)
	}
	base, err := data.String(inChromaURL, "")
	if err != nil {
		return nil, err
	}
	var cred [3]string
	for i, key := range []string{"chromaApiKey", "chromaTenant", "chromaDatabase"} {
		if cred[i], err = node.CredentialParam(ctx, data, rt, key); err != nil {
			return nil, err
		}
	}
	if base == "" {
		base = "http://localhost:8000"
		if cred[0] != "" && (cred[1] != "" || cred[2] != "") {
			base = "https://api.trychroma.com" // Flowise's Chroma Cloud default
		}
	}
	filter, err := readFilter(data, inChromaFilter)
	if err != nil {
		return nil, err
	}
	client := &chroma.Client{BaseURL: base, Token: cred[0], Tenant: cred[1], Database: cred[2], HTTP: rt.Client()}
	in, err := newInstance(data, rt, &chromaStore{client: client, emb: emb, collection: name}, filter)
	if err != nil {
		return nil, err
	}
	in.name = name
	return in.output(data), nil
}

// chromaStore is a Chroma collection. Metadata is kept as Flowise's Chroma
// wrapper keeps it: loc.lines.from/to as locFrom/locTo, other objects and
// arrays as JSON text. Scores are computed from the returned embeddings,
// whatever the collection's distance.
type chromaStore struct {
	client     *chroma.Client
	emb        llm.Embedder
	collection string

	mu sync.Mutex // guards id
	id string     // the collection's id, once known
}

func (s *chromaStore) collectionID(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id != "" {
		return s.id, nil
	}
	c, err := s.client.GetOrCreateCollection(ctx, s.collection, nil)
	if err != nil {
		return "", fmt.Errorf("opening chroma collection %q: %w", s.collection, err)
	}
	s.id = c.ID
	return s.id, nil
}

// AddDocuments implements [llm.VectorStore].
func (s *chromaStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	ids, vecs, err := prepare(ctx, s.emb, docs, ids)
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	rec := chroma.Records{IDs: ids, Embeddings: vecs, Metadatas: make([]map[string]any, len(docs)), Documents: make([]string, len(docs))}
	for i, d := range docs {
		rec.Documents[i] = d.PageContent
		rec.Metadatas[i] = chromaMetadata(d.Metadata)
	}
	id, err := s.collectionID(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.client.Upsert(ctx, id, rec); err != nil {
		return nil, fmt.Errorf("upserting into chroma collection %q: %w", s.collection, err)
	}
	return ids, nil
}

// Delete implements [llm.VectorStore].
func (s *chromaStore) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	id, err := s.collectionID(ctx)
	if err != nil {
		return err
	}
	if err := s.client.Delete(ctx, id, ids); err != nil {
		return fmt.Errorf("deleting from chroma collection %q: %w", s.collection, err)
	}
	return nil
}

// SimilaritySearch implements [llm.VectorStore].
func (s *chromaStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *chromaStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

// scopeFetch is how many more results than asked for a chat-scoped query
// fetches at first; each next round fetches scopeFetch times more.
const scopeFetch = 4

// search implements hitSearcher; Chroma always returns the embeddings,
// which the scores need.
//
// A filter holding flowise_chatId (File Upload's chat scope: that chat's
// documents or those of no chat) is applied here, since a where clause
// cannot match a missing key: the rest of the filter goes to Chroma, which
// is asked for scopeFetch·k results, then scopeFetch times more each
// round until k are in scope or the collection has no more. The k kept
// are the first in scope in Chroma's order, as a where clause would give.
func (s *chromaStore) search(ctx context.Context, query string, k int, f llm.Filter, _ bool) ([]float32, []hit, error) {
	id, err := s.collectionID(ctx)
	if err != nil {
		return nil, nil, err
	}
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	chat, scoped := f[chatIDKey]
	if scoped {
		f = maps.Clone(f)
		delete(f, chatIDKey)
	}
	where := chromaWhere(f)
	n := k
	if scoped {
		n = scopeFetch * k
	}
	var matches []chroma.Match
	for {
		got, err := s.client.Query(ctx, id, q, n, where)
		if err != nil {
			return nil, nil, fmt.Errorf("querying chroma collection %q: %w", s.collection, err)
		}
		if !scoped {
			matches = got
			break
		}
		fetched := len(got)
		matches = slices.DeleteFunc(got, func(m chroma.Match) bool { return !matchesKey(m.Metadata, chatIDKey, chat) })
		if len(matches) >= k || fetched < n {
			matches = matches[:min(k, len(matches))]
			break
		}
		n *= scopeFetch
	}
	hits := make([]hit, len(matches))
	for i, m := range matches {
		hits[i] = hit{ScoredDocument: llm.ScoredDocument{
			Document: llm.Document{PageContent: m.Document, Metadata: fromChromaMetadata(m.Metadata)},
			Score:    cosine(q, m.Embedding),
		}, vec: m.Embedding}
	}
	// Chroma ranks by the collection's distance (L2 by default); order by
	// the cosine scores reported.
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.Score, a.Score) })
	return q, hits, nil
}

// chromaMetadata converts metadata to Chroma's flat scalar form; nil when
// empty (older servers reject an empty object).
func chromaMetadata(md map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range md {
		if k == "loc" {
			if loc, ok := v.(map[string]any); ok {
				if lines, ok := loc["lines"].(map[string]any); ok {
					if from, ok := lines["from"]; ok {
						out["locFrom"] = from
					}
					if to, ok := lines["to"]; ok {
						out["locTo"] = to
					}
					continue
				}
			}
		}
		switch v.(type) {
		case nil:
		case string, bool:
			out[k] = v
		default:
			if n, ok := number(v); ok {
				out[k] = n
				continue
			}
			if raw, err := json.Marshal(v); err == nil {
				out[k] = string(raw)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// fromChromaMetadata restores loc.lines from locFrom and locTo.
func fromChromaMetadata(md map[string]any) map[string]any {
	if len(md) == 0 {
		return nil
	}
	from, hasFrom := md["locFrom"]
	to, hasTo := md["locTo"]
	if hasFrom && hasTo {
		md = maps.Clone(md)
		delete(md, "locFrom")
		delete(md, "locTo")
		md["loc"] = map[string]any{"lines": map[string]any{"from": from, "to": to}}
	}
	return md
}

// chromaWhere returns f as a Chroma where clause: a clause already using
// Chroma's operators at the top ($and, $or) as it is; one key as {key:
// value}; several keys joined with $and.
func chromaWhere(f llm.Filter) map[string]any {
	if len(f) == 0 {
		return nil
	}
	var parts []any
	for _, k := range slices.Sorted(maps.Keys(f)) {
		if strings.HasPrefix(k, "$") {
			return f
		}
		parts = append(parts, map[string]any{k: f[k]})
	}
	if len(parts) == 1 {
		return parts[0].(map[string]any)
	}
	return map[string]any{"$and": parts}
}

var (
	_ llm.VectorStore = (*chromaStore)(nil)
	_ llm.MMRSearcher = (*chromaStore)(nil)
)
