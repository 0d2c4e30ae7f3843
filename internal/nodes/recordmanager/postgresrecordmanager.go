package recordmanager

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/floehq/floe/internal/node"
	pgprovider "github.com/floehq/floe/internal/provider/postgres"
)

const (
	inHost     = "host"
	inDatabase = "database"
	inPort     = "port"
	inSSL      = "ssl"
)

// postgresRecordManager mirrors Flowise's PostgresRecordManager
// (nodes/recordmanager/PostgresRecordManager), with the same table layout.
var postgresRecordManager = node.Definition{
	Spec: node.Spec{
		Label:       "Postgres Record Manager",
		Name:        "postgresRecordManager",
		Version:     1,
		Type:        "Postgres RecordManager",
		Icon:        "postgres.svg",
		Category:    category,
		Description: "Use Postgres to keep track of document writes into the vector databases",
		BaseClasses: []string{"Postgres RecordManager", "RecordManager"},
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			CredentialNames: []string{"PostgresApi"},
		},
		Inputs: append([]node.Param{
			{Label: "Host", Name: inHost, Type: node.TypeString},
			{Label: "Database", Name: inDatabase, Type: node.TypeString},
			{Label: "Port", Name: inPort, Type: node.TypeNumber, Placeholder: "5432", Optional: true},
			{Label: "SSL", Name: inSSL, Description: "Use SSL to connect to Postgres", Type: node.TypeBoolean, AdditionalParams: true, Optional: true},
			additionalConfigParam(),
		}, commonParams()...),
	},
	Init: initPostgresRecordManager,
}

func initPostgresRecordManager(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	s, err := readSettings(data, rt)
	if err != nil {
		return nil, err
	}
	dsn, err := pgprovider.DSN(ctx, data, rt)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the Postgres connection: %w", err)
	}
	return &records{db: db, dialect: dialectPostgres, table: s.table, namespace: s.namespace, opts: s.opts, schema: &schema{},
		closeFn: func(context.Context) error { return db.Close() }}, nil
}
