package vectorstores

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/pinecone"
)

const (
	inPineconeIndex     = "pineconeIndex"
	inPineconeNamespace = "pineconeNamespace"
	inPineconeTextKey   = "pineconeTextKey"
	inPineconeFilter    = "pineconeMetadataFilter"
)

// pineconeNode mirrors Flowise's Pinecone node (nodes/vectorstores/
// Pinecone) over Pinecone's REST API. The index must exist; its host is
// looked up on the control plane, or Pinecone Index may be the index's
// host URL itself.
var pineconeNode = node.Definition{
	Spec: node.Spec{
		Label:       "Pinecone",
		Name:        "pinecone",
		Version:     5,
		Type:        "Pinecone",
		Icon:        "pinecone.svg",
		Category:    category,
		Description: "Upsert embedded data and perform similarity or mmr search using Pinecone, a leading fully managed hosted vector database",
		BaseClasses: baseClasses("Pinecone"),
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			CredentialNames: []string{"pineconeApi"},
		},
		Inputs: append([]node.Param{
			documentParam(),
			embeddingsParam(),
			recordManagerParam(),
			{Label: "Pinecone Index", Name: inPineconeIndex, Type: node.TypeString},
			{Label: "Pinecone Namespace", Name: inPineconeNamespace, Type: node.TypeString, Placeholder: "my-first-namespace", AdditionalParams: true, Optional: true},
			fileUploadParam(),
			{
				Label:            "Pinecone Text Key",
				Name:             inPineconeTextKey,
				Description:      "The key in the metadata for storing text. Default to `text`",
				Type:             node.TypeString,
				Placeholder:      "text",
				AdditionalParams: true,
				Optional:         true,
			},
			{Label: "Pinecone Metadata Filter", Name: inPineconeFilter, Type: node.TypeJSON, Optional: true, AdditionalParams: true, AcceptVariable: true},
			topKParam(true),
		}, mmrParams()...),
		Outputs: outputs("Pinecone", "Pinecone", "VectorStore"),
	},
	Init: newPineconeInit(pinecone.ControlURL),
}

// newPineconeInit returns the node's Init, resolving index hosts on the
// control plane at controlURL.
func newPineconeInit(controlURL string) node.InitFunc {
	return func(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
		emb, err := embedder(data)
		if err != nil {
			return nil, err
		}
		index, err := data.String(inPineconeIndex, "")
		if err != nil {
			return nil, err
		}
		if index == "" {
			return nil, fmt.Errorf("input %q: an index name is required", inPineconeIndex)
		}
		key, err := node.CredentialParam(ctx, data, rt, "pineconeApiKey")
		if err != nil {
			return nil, err
		}
		s := &pineconeStore{client: &pinecone.Client{APIKey: key, ControlURL: controlURL, HTTP: rt.Client()}, emb: emb, index: index}
		if s.namespace, err = data.String(inPineconeNamespace, ""); err != nil {
			return nil, err
		}
		if s.textKey, err = data.String(inPineconeTextKey, "text"); err != nil {
			return nil, err
		}
		filter, err := readFilter(data, inPineconeFilter)
		if err != nil {
			return nil, err
		}
		in, err := newInstance(data, rt, s, filter)
		if err != nil {
			return nil, err
		}
		in.name = s.namespace
		return in.output(data), nil
	}
}

// pineconeStore is a namespace of a Pinecone index. Documents are stored as
// LangChain's PineconeStore stores them: the text under textKey in the
// metadata, nested metadata flattened to dotted keys.
type pineconeStore struct {
	client    *pinecone.Client
	emb       llm.Embedder
	index     string // name, or the host URL
	namespace string
	textKey   string

	mu     sync.Mutex // guards host and metric
	host   string
	metric string
}

// target returns the index host and metric.
func (s *pineconeStore) target(ctx context.Context) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.host != "" {
		return s.host, s.metric, nil
	}
	if strings.HasPrefix(s.index, "https://") || strings.HasPrefix(s.index, "http://") {
		s.host, s.metric = s.index, "cosine"
		return s.host, s.metric, nil
	}
	idx, err := s.client.DescribeIndex(ctx, s.index)
	if err != nil {
		return "", "", fmt.Errorf("looking up pinecone index %q: %w", s.index, err)
	}
	s.host, s.metric = idx.Host, idx.Metric
	return s.host, s.metric, nil
}

// AddDocuments implements [llm.VectorStore].
func (s *pineconeStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	ids, vecs, err := prepare(ctx, s.emb, docs, ids)
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	host, _, err := s.target(ctx)
	if err != nil {
		return nil, err
	}
	records := make([]pinecone.Vector, len(docs))
	for i, d := range docs {
		records[i] = pinecone.Vector{ID: ids[i], Values: vecs[i], Metadata: pineconeMetadata(d.Metadata, s.textKey, d.PageContent)}
	}
	const chunk = 100 // Pinecone's recommended upsert size
	for start := 0; start < len(records); start += chunk {
		if err := s.client.Upsert(ctx, host, s.namespace, records[start:min(start+chunk, len(records))]); err != nil {
			return nil, fmt.Errorf("upserting into pinecone index %q: %w", s.index, err)
		}
	}
	return ids, nil
}

// Delete implements [llm.VectorStore].
func (s *pineconeStore) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	host, _, err := s.target(ctx)
	if err != nil {
		return err
	}
	const chunk = 1000 // Pinecone's limit per delete
	for start := 0; start < len(ids); start += chunk {
		if err := s.client.Delete(ctx, host, s.namespace, ids[start:min(start+chunk, len(ids))]); err != nil {
			return fmt.Errorf("deleting from pinecone index %q: %w", s.index, err)
		}
	}
	return nil
}

// SimilaritySearch implements [llm.VectorStore].
func (s *pineconeStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *pineconeStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

func (s *pineconeStore) search(ctx context.Context, query string, k int, f llm.Filter, withVectors bool) ([]float32, []hit, error) {
	host, metric, err := s.target(ctx)
	if err != nil {
		return nil, nil, err
	}
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	withVectors = withVectors || metric != "cosine"
	req := pinecone.Query{Namespace: s.namespace, Vector: q, TopK: min(k, 10000), IncludeMetadata: true, IncludeValues: withVectors}
	if withVectors {
		req.TopK = min(k, 1000)
	}
	if ns, ok := f["namespace"].(string); ok { // LangChain's filter.namespace
		req.Namespace = ns
		f = maps.Clone(f)
		delete(f, "namespace")
	}
	if len(f) > 0 {
		req.Filter = pineconeFilter(f)
	}
	matches, err := s.client.Query(ctx, host, req)
	if err != nil {
		return nil, nil, fmt.Errorf("querying pinecone index %q: %w", s.index, err)
	}
	hits := make([]hit, len(matches))
	for i, m := range matches {
		md := maps.Clone(m.Metadata)
		text, _ := md[s.textKey].(string)
		delete(md, s.textKey)
		if len(md) == 0 {
			md = nil
		}
		score := m.Score
		if metric != "cosine" {
			score = cosine(q, m.Values)
		}
		hits[i] = hit{ScoredDocument: llm.ScoredDocument{Document: llm.Document{PageContent: text, Metadata: md}, Score: score}, vec: m.Values}
	}
	return q, hits, nil
}

// pineconeMetadata returns md as LangChain's PineconeStore writes it: lists
// of strings kept, other nested values flattened to dotted keys, nulls and
// empty objects dropped, and the text under textKey.
func pineconeMetadata(md map[string]any, textKey, text string) map[string]any {
	out := map[string]any{}
	for k, v := range md {
		if list, ok := stringList(v); ok {
			out[k] = list
			continue
		}
		flatten(k, generic(v), out)
	}
	for k, v := range out {
		switch x := v.(type) {
		case nil:
			delete(out, k)
		case map[string]any:
			if len(x) == 0 {
				delete(out, k)
			}
		case []any:
			if len(x) == 0 {
				delete(out, k)
			}
		}
	}
	out[textKey] = text
	return out
}

// stringList reports whether v is a list of strings, and returns it.
func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case []string:
		return x, true
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// flatten writes v under key, objects and lists expanded to "key.sub" and
// "key.0" as the flat package does.
func flatten(key string, v any, out map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out[key] = x
		}
		for k, e := range x {
			flatten(key+"."+k, e, out)
		}
	case []any:
		if len(x) == 0 {
			out[key] = x
		}
		for i, e := range x {
			flatten(key+"."+strconv.Itoa(i), e, out)
		}
	default:
		out[key] = v
	}
}

// pineconeFilter returns f in Pinecone's filter language: plain values
// become {"$eq": value}; operators and operator objects stay.
//
// The key flowise_chatId is File Upload's chat scope: Flowise's $or of
// {"flowise_chatId": {"$eq": chat}} and {"flowise_chatId": {"$exists":
// false}}. Flowise appends those two to the filter's own $or, which lets a
// filter with an $or of its own widen the scope; here the two $or lists
// are then both required, under $and.
func pineconeFilter(f llm.Filter) map[string]any {
	out := make(map[string]any, len(f))
	for k, v := range f {
		if k == chatIDKey {
			continue
		}
		if m, ok := v.(map[string]any); ok && isOperatorObject(m) || strings.HasPrefix(k, "$") || k == "namespace" {
			out[k] = v
			continue
		}
		out[k] = map[string]any{"$eq": v}
	}
	chat, scoped := f[chatIDKey]
	if !scoped {
		return out
	}
	scope := []any{
		map[string]any{chatIDKey: map[string]any{"$eq": chat}},
		map[string]any{chatIDKey: map[string]any{"$exists": false}},
	}
	own, hasOr := out["$or"]
	if !hasOr {
		out["$or"] = scope
		return out
	}
	and, _ := out["$and"].([]any)
	out["$and"] = append(slices.Clone(and), map[string]any{"$or": own}, map[string]any{"$or": scope})
	delete(out, "$or")
	return out
}

func isOperatorObject(m map[string]any) bool {
	for k := range m {
		if !strings.HasPrefix(k, "$") {
			return false
		}
	}
	return len(m) > 0
}

var (
	_ llm.VectorStore = (*pineconeStore)(nil)
	_ llm.MMRSearcher = (*pineconeStore)(nil)
)
