package vectorstores

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/floehq/floe/internal/node"
	pgprovider "github.com/floehq/floe/internal/provider/postgres"
)

const (
	inHost              = "host"
	inDatabase          = "database"
	inPort              = "port"
	inSSL               = "ssl"
	inTableName         = "tableName"
	inDistanceStrategy  = "distanceStrategy"
	inAdditionalConfig  = "additionalConfig"
	inPGMetadataFilter  = "pgMetadataFilter"
	inContentColumnName = "contentColumnName"
)

// postgres mirrors Flowise's Postgres node (nodes/vectorstores/Postgres)
// over pgvector, with the table layout of its TypeORM driver. Like Flowise
// it ignores contentColumnName (which only its unused PGVector driver
// read): the content column is "pageContent".
var postgres = node.Definition{
	Spec: node.Spec{
		Label:       "Postgres",
		Name:        "postgres",
		Version:     7.1,
		Type:        "Postgres",
		Icon:        "postgres.svg",
		Category:    category,
		Description: "Upsert embedded data and perform similarity search upon query using pgvector on Postgres",
		BaseClasses: baseClasses("Postgres"),
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			CredentialNames: []string{"PostgresApi"},
		},
		Inputs: []node.Param{
			documentParam(),
			embeddingsParam(),
			recordManagerParam(),
			{Label: "Host", Name: inHost, Type: node.TypeString},
			{Label: "Database", Name: inDatabase, Type: node.TypeString},
			{Label: "Port", Name: inPort, Type: node.TypeNumber, Placeholder: "5432", Optional: true},
			{Label: "SSL", Name: inSSL, Description: "Use SSL to connect to Postgres", Type: node.TypeBoolean, AdditionalParams: true, Optional: true},
			{Label: "Table Name", Name: inTableName, Type: node.TypeString, Placeholder: "documents", AdditionalParams: true, Optional: true},
			{
				Label:       "Distance Strategy",
				Name:        inDistanceStrategy,
				Description: "Strategy for calculating distances between vectors",
				Type:        node.TypeOptions,
				Options: []node.Option{
					{Label: "Cosine", Name: "cosine"},
					{Label: "Euclidean", Name: "euclidean"},
					{Label: "Inner Product", Name: "innerProduct"},
				},
				AdditionalParams: true,
				Default:          "cosine",
				Optional:         true,
			},
			fileUploadParam(),
			batchSizeParam(),
			{
				Label: "Additional Configuration",
				Name:  inAdditionalConfig,
				Type:  node.TypeJSON,
				Description: "Optional TypeORM connection options (e.g. ssl, connectTimeout). entities, subscribers, migrations, " +
					"and extra are not allowed.",
				AdditionalParams: true,
				Optional:         true,
			},
			topKParam(true),
			{Label: "Postgres Metadata Filter", Name: inPGMetadataFilter, Type: node.TypeJSON, AdditionalParams: true, Optional: true, AcceptVariable: true},
			{
				Label:            "Content Column Name",
				Name:             inContentColumnName,
				Description:      "Column name to store the text content (PGVector Driver only, others use pageContent)",
				Type:             node.TypeString,
				Placeholder:      "pageContent",
				AdditionalParams: true,
				Optional:         true,
			},
		},
		Outputs: outputs("Postgres", "Postgres", "VectorStore"),
	},
	Init: initPostgres,
}

func initPostgres(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	emb, err := embedder(data)
	if err != nil {
		return nil, err
	}
	dsn, err := pgprovider.DSN(ctx, data, rt)
	if err != nil {
		return nil, err
	}
	tableName, err := data.String(inTableName, "documents")
	if err != nil {
		return nil, err
	}
	table, err := pgprovider.SanitizeTableName(tableName)
	if err != nil {
		return nil, fmt.Errorf("input %q: %w", inTableName, err)
	}
	strategy, err := data.String(inDistanceStrategy, "cosine")
	if err != nil {
		return nil, err
	}
	op, ok := pgDistanceOps[strategy]
	if !ok {
		return nil, fmt.Errorf("input %q: unknown distance strategy %q", inDistanceStrategy, strategy)
	}
	filter, err := readFilter(data, inPGMetadataFilter)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the Postgres connection: %w", err)
	}
	in, err := newInstance(data, rt, &pgStore{db: db, emb: emb, table: `"` + table + `"`, op: op}, filter)
	if err != nil {
		db.Close()
		return nil, err
	}
	in.name = tableName // Flowise scopes records by the raw input
	in.closeFn = func(context.Context) error { return db.Close() }
	return in.output(data), nil
}
