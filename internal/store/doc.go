// Package store persists Floe's entities (chatflows, chat messages, API keys,
// variables, credentials, tools, ...) in SQLite or Postgres through
// database/sql.
//
// [Open] returns a concrete [*DB]; there is no repository interface. Tables
// and columns follow Flowise's names (camelCase where Flowise uses it, for
// example "flowData" and "createdDate"), and the schema is created by goose
// migrations embedded in the binary (migrations/sqlite, migrations/postgres)
// that run on every [Open].
//
// Queries are written once, with ? placeholders and double-quoted identifiers,
// and rebound to $1..$n for Postgres. Unique-constraint violations of either
// driver are reported as [ErrConflict] and unknown ids as [ErrNotFound]; test
// them with errors.Is.
//
// Ids and dates are assigned by the store: a Create method fills an empty ID
// with a random UUID (v4) and sets CreatedDate and UpdatedDate to the current
// time in UTC, truncated to milliseconds, writing them back into the struct it
// was given. Within one process these stamps are strictly increasing, so rows
// written one after the other never share a date and sort in write order.
//
// SQLite runs in WAL mode with a single writer connection and a separate pool
// of read-only connections: writers queue in database/sql instead of failing
// with SQLITE_BUSY, and readers never wait for writers. A [*DB] is safe for
// concurrent use by multiple goroutines.
package store
