package vectorstores

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/qdrant"
)

const (
	inQdrantServerURL      = "qdrantServerUrl"
	inQdrantCollection     = "qdrantCollection"
	inQdrantDimension      = "qdrantVectorDimension"
	inQdrantContentKey     = "contentPayloadKey"
	inQdrantMetadataKey    = "metadataPayloadKey"
	inQdrantSimilarity     = "qdrantSimilarity"
	inQdrantCollectionConf = "qdrantCollectionConfiguration"
	inQdrantFilter         = "qdrantFilter"
)

// qdrantNode mirrors Flowise's Qdrant node (nodes/vectorstores/Qdrant)
// over Qdrant's REST API. A collection that does not exist is created at
// the first upsert with the embeddings' dimension and the chosen
// similarity; a Vector Dimension that differs is logged and not used (in
// Flowise it makes Qdrant reject every point).
var qdrantNode = node.Definition{
	Spec: node.Spec{
		Label:       "Qdrant",
		Name:        "qdrant",
		Version:     5,
		Type:        "Qdrant",
		Icon:        "qdrant.png",
		Category:    category,
		Description: "Upsert embedded data and perform similarity search upon query using Qdrant, a scalable open source vector database written in Rust",
		BaseClasses: baseClasses("Qdrant"),
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			Description:     "Only needed when using Qdrant cloud hosted",
			Optional:        true,
			CredentialNames: []string{"qdrantApi"},
		},
		Inputs: []node.Param{
			documentParam(),
			embeddingsParam(),
			recordManagerParam(),
			{Label: "Qdrant Server URL", Name: inQdrantServerURL, Type: node.TypeString, Placeholder: "http://localhost:6333"},
			{Label: "Qdrant Collection Name", Name: inQdrantCollection, Type: node.TypeString, AcceptVariable: true},
			fileUploadParam(),
			{Label: "Vector Dimension", Name: inQdrantDimension, Type: node.TypeNumber, Default: 1536, AdditionalParams: true},
			{Label: "Content Key", Name: inQdrantContentKey, Description: "The key for storing text. Default to `content`", Type: node.TypeString, Default: "content", Optional: true, AdditionalParams: true},
			{Label: "Metadata Key", Name: inQdrantMetadataKey, Description: "The key for storing metadata. Default to `metadata`", Type: node.TypeString, Default: "metadata", Optional: true, AdditionalParams: true},
			batchSizeParam(),
			{
				Label:       "Similarity",
				Name:        inQdrantSimilarity,
				Description: "Similarity measure used in Qdrant.",
				Type:        node.TypeOptions,
				Default:     "Cosine",
				Options: []node.Option{
					{Label: "Cosine", Name: "Cosine"},
					{Label: "Euclid", Name: "Euclid"},
					{Label: "Dot", Name: "Dot"},
				},
				AdditionalParams: true,
			},
			{
				Label:            "Additional Collection Cofiguration",
				Name:             inQdrantCollectionConf,
				Description:      `Refer to <a target="_blank" href="https://qdrant.tech/documentation/concepts/collections">collection docs</a> for more reference`,
				Type:             node.TypeJSON,
				Optional:         true,
				AdditionalParams: true,
			},
			topKParam(true),
			{
				Label:            "Qdrant Search Filter",
				Name:             inQdrantFilter,
				Description:      "Only return points which satisfy the conditions",
				Type:             node.TypeJSON,
				AdditionalParams: true,
				Optional:         true,
				AcceptVariable:   true,
			},
		},
		Outputs: outputs("Qdrant", "Qdrant", "VectorStore"),
	},
	Init: initQdrant,
}

func initQdrant(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	emb, err := embedder(data)
	if err != nil {
		return nil, err
	}
	base, err := data.String(inQdrantServerURL, "")
	if err != nil {
		return nil, err
	}
	if base == "" {
		return nil, fmt.Errorf("input %q: a Qdrant server URL is required", inQdrantServerURL)
	}
	collection, err := data.String(inQdrantCollection, "")
	if err != nil {
		return nil, err
	}
	if collection == "" {
		return nil, fmt.Errorf("input %q: a collection name is required", inQdrantCollection)
	}
	key, err := node.CredentialParam(ctx, data, rt, "qdrantApiKey")
	if err != nil {
		return nil, err
	}
	s := &qdrantStore{client: &qdrant.Client{BaseURL: base, APIKey: key, HTTP: rt.Client()}, emb: emb, collection: collection}
	if s.contentKey, err = data.String(inQdrantContentKey, "content"); err != nil {
		return nil, err
	}
	if s.metadataKey, err = data.String(inQdrantMetadataKey, "metadata"); err != nil {
		return nil, err
	}
	if s.distance, err = data.String(inQdrantSimilarity, "Cosine"); err != nil {
		return nil, err
	}
	if s.dimension, err = data.Int(inQdrantDimension, 0); err != nil {
		return nil, err
	}
	s.log = rt.Log()
	if s.batch, err = data.Int(inBatchSize, 0); err != nil {
		return nil, err
	}
	if err := data.JSON(inQdrantCollectionConf, &s.config); err != nil {
		return nil, err
	}
	filter, err := readFilter(data, inQdrantFilter)
	if err != nil {
		return nil, err
	}
	in, err := newInstance(data, rt, s, filter)
	if err != nil {
		return nil, err
	}
	in.name = collection
	return in.output(data), nil
}

// qdrantStore is a Qdrant collection whose points carry the document text
// and metadata under contentKey and metadataKey, as LangChain's
// QdrantVectorStore writes them.
type qdrantStore struct {
	client                  *qdrant.Client
	emb                     llm.Embedder
	collection              string
	contentKey, metadataKey string
	distance                string         // similarity for a new collection
	config                  map[string]any // extra settings for a new collection
	batch                   int            // points per upsert call; 0 means all
	dimension               int            // the Vector Dimension input
	log                     *slog.Logger

	mu    sync.Mutex // guards known
	known *qdrant.Collection
}

// info returns the collection's settings, nil when it does not exist.
func (s *qdrantStore) info(ctx context.Context) (*qdrant.Collection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known != nil {
		return s.known, nil
	}
	c, err := s.client.GetCollection(ctx, s.collection)
	if errors.Is(err, qdrant.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.known = &c
	return s.known, nil
}

// ensure creates the collection for vectors of dimension dim when missing.
func (s *qdrantStore) ensure(ctx context.Context, dim int) error {
	c, err := s.info(ctx)
	if err != nil {
		return err
	}
	if c != nil {
		if c.Size != dim {
			return fmt.Errorf("qdrant collection %q holds vectors of dimension %d, the embeddings give %d", s.collection, c.Size, dim)
		}
		return nil
	}
	if s.dimension != 0 && s.dimension != dim {
		s.log.Warn("qdrant: creating the collection with the embeddings' dimension, not the Vector Dimension input",
			"collection", s.collection, "dimension", dim, "input", s.dimension)
	}
	config := maps.Clone(s.config)
	if config == nil {
		config = map[string]any{}
	}
	vectors, _ := config["vectors"].(map[string]any)
	vectors = maps.Clone(vectors)
	if vectors == nil {
		vectors = map[string]any{}
	}
	vectors["size"], vectors["distance"] = dim, s.distance
	config["vectors"] = vectors
	err = s.client.CreateCollection(ctx, s.collection, config)
	var qe *qdrant.Error
	if errors.As(err, &qe) && qe.StatusCode == 409 { // created meanwhile
		err = nil
	}
	if err != nil {
		return fmt.Errorf("creating qdrant collection %q: %w", s.collection, err)
	}
	s.mu.Lock()
	s.known = &qdrant.Collection{Size: dim, Distance: s.distance}
	s.mu.Unlock()
	return nil
}

// AddDocuments implements [llm.VectorStore]. Ids must be UUIDs or
// unsigned integers.
func (s *qdrantStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	ids, vecs, err := prepare(ctx, s.emb, docs, ids)
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	if err := s.ensure(ctx, len(vecs[0])); err != nil {
		return nil, err
	}
	points := make([]qdrant.Point, len(docs))
	for i, d := range docs {
		meta := d.Metadata
		if meta == nil {
			meta = map[string]any{}
		}
		points[i] = qdrant.Point{ID: ids[i], Vector: vecs[i], Payload: map[string]any{s.contentKey: d.PageContent, s.metadataKey: meta}}
	}
	size := s.batch
	if size <= 0 {
		size = len(points)
	}
	for start := 0; start < len(points); start += size {
		if err := s.client.Upsert(ctx, s.collection, points[start:min(start+size, len(points))]); err != nil {
			return nil, fmt.Errorf("upserting into qdrant collection %q: %w", s.collection, err)
		}
	}
	return ids, nil
}

// Delete implements [llm.VectorStore].
func (s *qdrantStore) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.client.Delete(ctx, s.collection, ids)
	if err != nil && !errors.Is(err, qdrant.ErrNotFound) {
		return fmt.Errorf("deleting from qdrant collection %q: %w", s.collection, err)
	}
	return nil
}

// SimilaritySearch implements [llm.VectorStore].
func (s *qdrantStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *qdrantStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

func (s *qdrantStore) search(ctx context.Context, query string, k int, f llm.Filter, withVectors bool) ([]float32, []hit, error) {
	c, err := s.info(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("searching qdrant collection %q: %w", s.collection, err)
	}
	if c == nil {
		return nil, nil, nil
	}
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	cosineScores := c.Distance == "Cosine"
	req := qdrant.SearchRequest{Vector: q, Limit: k, WithPayload: true, WithVector: withVectors || !cosineScores}
	if len(f) > 0 {
		req.Filter = s.native(f)
	}
	points, err := s.client.Search(ctx, s.collection, req)
	if errors.Is(err, qdrant.ErrNotFound) {
		return q, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("searching qdrant collection %q: %w", s.collection, err)
	}
	hits := make([]hit, len(points))
	for i, p := range points {
		content, _ := p.Payload[s.contentKey].(string)
		meta, _ := p.Payload[s.metadataKey].(map[string]any)
		if len(meta) == 0 {
			meta = nil
		}
		score := p.Score
		if !cosineScores {
			score = cosine(q, p.Vector)
		}
		hits[i] = hit{ScoredDocument: llm.ScoredDocument{Document: llm.Document{PageContent: content, Metadata: meta}, Score: score}, vec: p.Vector}
	}
	return q, hits, nil
}

// native returns f as a Qdrant filter: a filter already in Qdrant's form
// (must, should, must_not or min_should at the top) as it is, else one
// must condition per key on the metadata payload.
//
// The key flowise_chatId is File Upload's chat scope, whatever the form of
// the rest: it becomes one more must condition, a nested filter whose
// should holds Flowise's two conditions (the metadata's flowise_chatId
// matches the chat id, or is empty: missing or null). Flowise appends those
// two to the filter's own should instead, which lets a filter with should
// conditions of its own widen the scope.
func (s *qdrantStore) native(f llm.Filter) map[string]any {
	chat, scoped := f[chatIDKey]
	if scoped {
		f = maps.Clone(f)
		delete(f, chatIDKey)
	}
	out := s.translate(f)
	if scoped {
		key := s.metadataKey + "." + chatIDKey
		scope := map[string]any{"should": []any{
			map[string]any{"key": key, "match": map[string]any{"value": chat}},
			map[string]any{"is_empty": map[string]any{"key": key}},
		}}
		var must []any
		switch m := out["must"].(type) {
		case []any:
			must = slices.Clone(m)
		case map[string]any: // one condition
			must = []any{m}
		}
		out["must"] = append(must, scope)
	}
	return out
}

// translate returns f, without a chat scope, as a Qdrant filter (see
// native).
func (s *qdrantStore) translate(f llm.Filter) map[string]any {
	for _, k := range []string{"must", "should", "must_not", "min_should"} {
		if _, ok := f[k]; ok {
			return maps.Clone(f)
		}
	}
	out := map[string]any{}
	var must []any
	for k, v := range f {
		key := s.metadataKey + "." + k
		if n, ok := number(v); ok && n != math.Trunc(n) {
			must = append(must, map[string]any{"key": key, "range": map[string]any{"gte": n, "lte": n}})
			continue
		}
		must = append(must, map[string]any{"key": key, "match": map[string]any{"value": v}})
	}
	if len(must) > 0 {
		out["must"] = must
	}
	return out
}

var (
	_ llm.VectorStore = (*qdrantStore)(nil)
	_ llm.MMRSearcher = (*qdrantStore)(nil)
)
