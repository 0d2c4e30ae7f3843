package recordmanager

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"strconv"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/floehq/floe/internal/node"
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
	dsn, err := postgresDSN(ctx, data, rt)
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
