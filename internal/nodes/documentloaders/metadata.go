package documentloaders

import (
	"maps"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// metaOptions are the "metadata" and "omitMetadataKeys" inputs.
type metaOptions struct {
	// extra is merged into every document's metadata.
	extra map[string]any
	// omit lists the default keys (dotted paths) to drop.
	omit []string
	// omitAll ("*") drops every default key, keeping only extra.
	omitAll bool
	// loaderWins lets the loader's own keys override extra ones (Flowise's
	// shared handleDocumentLoaderMetadata, used by the CSV loader); the
	// other loaders let extra override.
	loaderWins bool
}

// readMetaOptions reads the metadata inputs of data.
func readMetaOptions(data *node.Data) (metaOptions, error) {
	var m metaOptions
	if err := data.JSON(inMetadata, &m.extra); err != nil {
		return metaOptions{}, err
	}
	raw, err := data.String(inOmitMetadataKeys, "")
	if err != nil {
		return metaOptions{}, err
	}
	if strings.TrimSpace(raw) == "*" {
		m.omitAll = true
		return m, nil
	}
	for k := range strings.SplitSeq(raw, ",") {
		if k = strings.TrimSpace(k); k != "" {
			m.omit = append(m.omit, k)
		}
	}
	return m, nil
}

// withoutPointers returns a copy of m whose extra metadata drops string
// values starting with "/": the JSON loaders read those as JSON pointers
// into each record instead.
func (m metaOptions) withoutPointers() metaOptions {
	if m.extra == nil {
		return m
	}
	kept := make(map[string]any, len(m.extra))
	for k, v := range m.extra {
		if s, ok := v.(string); ok && strings.HasPrefix(s, "/") {
			continue
		}
		kept[k] = v
	}
	m.extra = kept
	return m
}

// apply returns docs with their metadata rebuilt: defaults minus the
// omitted keys, merged with extra. Each document gets its own map.
func (m metaOptions) apply(docs []llm.Document) []llm.Document {
	out := make([]llm.Document, len(docs))
	for i, d := range docs {
		md := map[string]any{}
		switch {
		case m.omitAll:
			maps.Copy(md, m.extra)
		case m.loaderWins:
			maps.Copy(md, m.extra)
			maps.Copy(md, d.Metadata)
		default:
			maps.Copy(md, d.Metadata)
			maps.Copy(md, m.extra)
		}
		for _, k := range m.omit {
			md = omitPath(md, k)
		}
		out[i] = llm.Document{PageContent: d.PageContent, Metadata: md}
	}
	return out
}

// omitPath deletes key from m as lodash's omit does: a literal key first,
// else a dotted path into nested objects. Nested maps on the path are
// copied, never changed in place, since documents may share them.
func omitPath(m map[string]any, key string) map[string]any {
	if _, ok := m[key]; ok {
		delete(m, key)
		return m
	}
	head, rest, nested := strings.Cut(key, ".")
	if !nested {
		return m
	}
	child, ok := m[head].(map[string]any)
	if !ok {
		return m
	}
	m[head] = omitPath(maps.Clone(child), rest)
	return m
}
