package vectorstores

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"

	"github.com/floehq/floe/internal/node"
)

const (
	inCollectionName = "collectionName"
	inFilter         = "filter"
)

// embeddedDir holds the embedded store's files under the data directory:
// one SQLite file per collection, so an upsert's write transaction (which
// spans its embedding calls) never makes another collection's upsert wait.
const embeddedDir = "vectors"

// collectionFile names a collection's file after a hash of its name (any
// string a flow gives, never a path).
func collectionFile(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:12]) + ".sqlite"
}

// embeddedVectorStore is Floe's default persistent store, for flows that
// do not need an external database: documents and vectors in SQLite in the
// server's data directory (vectors.sqlite), searched through an in-memory
// index per collection shared by the server's runs (see vecIndex), one
// collection per collectionName (the chatflow id when empty). It has no
// Flowise counterpart. Its File Upload input scopes documents as that of
// Flowise's stores does: a chat's uploads are tagged with the chat id, and
// searches see that chat's documents and those of no chat.
var embeddedVectorStore = node.Definition{
	Spec: node.Spec{
		Label:    "Embedded Vector Store",
		Name:     "embeddedVectorStore",
		Version:  1,
		Type:     "EmbeddedVectorStore",
		Icon:     "sqlite.png",
		Category: category,
		Description: "Upsert embedded data and perform similarity or mmr search in Floe's built-in persistent store " +
			"(SQLite in the server's data directory, searched in memory): nothing to install or configure",
		BaseClasses: baseClasses("EmbeddedVectorStore"),
		Inputs: append([]node.Param{
			documentParam(),
			embeddingsParam(),
			recordManagerParam(),
			fileUploadParam(),
			{
				Label:          "Collection Name",
				Name:           inCollectionName,
				Type:           node.TypeString,
				Description:    "Documents are kept per collection. Default to the chatflow id",
				Placeholder:    "my-collection",
				Optional:       true,
				AcceptVariable: true,
			},
			{
				Label:            "Metadata Filter",
				Name:             inFilter,
				Type:             node.TypeJSON,
				Description:      `Only return documents whose metadata has these values, e.g. {"source": "handbook.pdf"}`,
				AdditionalParams: true,
				Optional:         true,
				AcceptVariable:   true,
			},
			topKParam(true),
		}, mmrParams()...),
		Outputs: outputs("Embedded", "EmbeddedVectorStore", "VectorStore"),
	},
	Init: initEmbeddedVectorStore,
}

func initEmbeddedVectorStore(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	emb, err := embedder(data)
	if err != nil {
		return nil, err
	}
	if rt == nil || rt.DataDir == "" {
		return nil, errNoDataDir
	}
	name, err := data.String(inCollectionName, "")
	if err != nil {
		return nil, err
	}
	name = cmp.Or(name, rt.ChatflowID, "default")
	filter, err := readFilter(data, inFilter)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(rt.DataDir, embeddedDir, collectionFile(name))
	idx, err := embeddedIndex(rt, path, name)
	if err != nil {
		return nil, err
	}
	db, closeDB, err := openVectorDB(ctx, rt, path)
	if err != nil {
		return nil, err
	}
	in, err := newInstance(data, rt, &sqliteVecStore{db: db, emb: emb, collection: name, idx: idx}, filter)
	if err != nil {
		_ = closeDB(ctx)
		return nil, err
	}
	in.name, in.closeFn = name, closeDB
	return in.output(data), nil
}
