// Package postgres holds what Floe's Postgres-backed nodes (the pgvector
// store and the Postgres record manager) share: reading the connection
// settings Flowise's nodes take, and checking table names.
package postgres

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/floehq/floe/internal/node"
)

// The inputs Flowise's Postgres nodes share.
const (
	inHost             = "host"
	inDatabase         = "database"
	inPort             = "port"
	inSSL              = "ssl"
	inAdditionalConfig = "additionalConfig"
)

// DSN builds a connection URL from a Postgres node's host, port, database
// and ssl inputs, the PostgresApi credential's user and password, and the
// ssl and connectTimeout(MS) options of additionalConfig, as Flowise's
// Postgres vector store and record manager nodes read them.
func DSN(ctx context.Context, data *node.Data, rt *node.Runtime) (string, error) {
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

// SanitizeTableName normalises a table name as Flowise does (trimmed, lower
// case, spaces as underscores) and accepts only letters, digits and
// underscores, at most 63 of them.
func SanitizeTableName(name string) (string, error) {
	name = strings.Join(strings.Fields(strings.ToLower(strings.TrimSpace(name))), "_")
	if !tableNameRE.MatchString(name) || len(name) > 63 {
		return "", fmt.Errorf("invalid table name %q: use up to 63 letters, digits and underscores", name)
	}
	return name, nil
}
