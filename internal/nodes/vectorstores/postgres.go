package vectorstores

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/floehq/floe/internal/node"
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
	dsn, err := postgresDSN(ctx, data, rt)
	if err != nil {
		return nil, err
	}
	tableName, err := data.String(inTableName, "documents")
	if err != nil {
		return nil, err
	}
	table, err := sanitizeTableName(tableName)
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

// postgresDSN builds a connection URL from the host, port, database and ssl
// inputs, the PostgresApi credential's user and password, and the ssl and
// connectTimeout(MS) options of additionalConfig.
func postgresDSN(ctx context.Context, data *node.Data, rt *node.Runtime) (string, error) {
	host, err := data.String(inHost, "")
	if err != nil {
		return "", err
	}
	if host == "" {
		return "", fmt.Errorf("input %q: a Postgres host is required", inHost)
	}
	database, err := data.String(inDatabase, "")
	if err != nil {
		return "", err
	}
	port, err := data.Int(inPort, 5432)
	if err != nil {
		return "", err
	}
	if port == 3006 { // Flowise refuses MySQL's port too
		return "", fmt.Errorf("input %q: invalid port number %d", inPort, port)
	}
	ssl, err := data.Bool(inSSL, false)
	if err != nil {
		return "", err
	}
	user, err := node.CredentialParam(ctx, data, rt, "user")
	if err != nil {
		return "", err
	}
	password, err := node.CredentialParam(ctx, data, rt, "password")
	if err != nil {
		return "", err
	}
	var extra map[string]any
	if err := data.JSON(inAdditionalConfig, &extra); err != nil {
		return "", err
	}
	q := url.Values{"sslmode": {"disable"}}
	if ssl {
		q.Set("sslmode", "verify-full")
	}
	switch v := extra["ssl"].(type) {
	case bool:
		if v {
			q.Set("sslmode", "verify-full")
		}
	case map[string]any:
		q.Set("sslmode", "verify-full")
		if reject, ok := v["rejectUnauthorized"].(bool); ok && !reject {
			q.Set("sslmode", "require")
		}
	}
	if ms, ok := extra["connectTimeoutMS"].(float64); ok && ms > 0 {
		q.Set("connect_timeout", strconv.Itoa(max(1, int(ms/1000))))
	} else if ms, ok := extra["connectTimeout"].(float64); ok && ms > 0 {
		q.Set("connect_timeout", strconv.Itoa(max(1, int(ms/1000))))
	}
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(host, strconv.Itoa(port)), Path: "/" + database, RawQuery: q.Encode()}
	if user != "" {
		u.User = url.UserPassword(user, password)
	}
	return u.String(), nil
}

var tableNameRE = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)

// sanitizeTableName normalises a table name as Flowise does (trimmed, lower
// case, spaces as underscores) and accepts only letters, digits and
// underscores.
func sanitizeTableName(name string) (string, error) {
	name = strings.Join(strings.Fields(strings.ToLower(strings.TrimSpace(name))), "_")
	if !tableNameRE.MatchString(name) || len(name) > 63 {
		return "", fmt.Errorf("invalid table name %q: use up to 63 letters, digits and underscores", name)
	}
	return name, nil
}
