package recordmanager

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/floehq/floe/internal/node"
)

// recordsFile is the SQLite record manager's database, in the data
// directory.
const recordsFile = "records.sqlite"

// sqliteRecordManager mirrors Flowise's SQLiteRecordManager
// (nodes/recordmanager/SQLiteRecordManager). Flowise keeps the table in its
// main database; Floe keeps it in records.sqlite in the data directory.
var sqliteRecordManager = node.Definition{
	Spec: node.Spec{
		Label:       "SQLite Record Manager",
		Name:        "SQLiteRecordManager",
		Version:     1.1,
		Type:        "SQLite RecordManager",
		Icon:        "sqlite.png",
		Category:    category,
		Description: "Use SQLite to keep track of document writes into the vector databases",
		BaseClasses: []string{"SQLite RecordManager", "RecordManager"},
		Inputs:      append([]node.Param{additionalConfigParam()}, commonParams()...),
	},
	Init: initSQLiteRecordManager,
}

func initSQLiteRecordManager(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	s, err := readSettings(data, rt)
	if err != nil {
		return nil, err
	}
	if rt == nil || rt.DataDir == "" {
		return nil, errNoDataDir
	}
	db, closeDB, err := openSQLite(ctx, rt, filepath.Join(rt.DataDir, recordsFile))
	if err != nil {
		return nil, err
	}
	return &records{db: db, dialect: dialectSQLite, table: s.table, namespace: s.namespace, opts: s.opts, schema: sqliteSchema(rt, s.table), closeFn: closeDB}, nil
}

// sharedDB is a database handle shared through the server memo.
type sharedDB struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// openSQLite opens (or, through rt.Memo, reuses) the SQLite file at path.
// The returned close function closes a handle that is not shared.
func openSQLite(ctx context.Context, rt *node.Runtime, path string) (*sql.DB, func(context.Context) error, error) {
	open := func() (*sql.DB, error) {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("creating the data directory: %w", err)
		}
		q := url.Values{
			"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)"},
			"_txlock": {"immediate"},
		}
		db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		db.SetMaxOpenConns(4)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		return db, nil
	}
	if rt.Memo == nil {
		db, err := open()
		if err != nil {
			return nil, nil, err
		}
		return db, func(context.Context) error { return db.Close() }, nil
	}
	v, _ := rt.Memo.LoadOrStore("recordmanager/sqlite:"+path, &sharedDB{})
	shared, ok := v.(*sharedDB)
	if !ok {
		return nil, nil, fmt.Errorf("memo entry for %s holds %T", path, v)
	}
	shared.once.Do(func() { shared.db, shared.err = open() })
	return shared.db, nil, shared.err
}

// sqliteSchema returns the table's schema state, shared through the memo
// so the table is created once per process.
func sqliteSchema(rt *node.Runtime, table string) *schema {
	if rt.Memo == nil {
		return &schema{}
	}
	v, _ := rt.Memo.LoadOrStore("recordmanager/sqlite-schema:"+filepath.Join(rt.DataDir, recordsFile)+"#"+table, &schema{})
	if s, ok := v.(*schema); ok {
		return s
	}
	return &schema{}
}
