package llm

import (
	"context"
	"crypto/sha1" //nolint:gosec // UUID v5 is defined over SHA-1
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Cleanup modes of [IndexOptions], as Flowise's record manager nodes offer
// them.
const (
	// CleanupNone deletes nothing; "" means the same.
	CleanupNone = "none"
	// CleanupIncremental deletes, batch by batch, the previously indexed
	// documents of the sources seen in the batch that this run did not
	// write again (old versions of changed documents).
	CleanupIncremental = "incremental"
	// CleanupFull deletes, after indexing, every previously indexed
	// document this run did not write again (also those of sources that
	// are gone).
	CleanupFull = "full"
)

// DefaultSourceIDKey is the metadata key naming a document's source when
// [IndexOptions.SourceIDKey] is empty.
const DefaultSourceIDKey = "source"

// IndexOptions configures [Index]. The zero value indexes in batches of
// 100 without cleanup, grouping documents by their "source" metadata.
type IndexOptions struct {
	// Cleanup is "" or [CleanupNone], [CleanupIncremental] or
	// [CleanupFull].
	Cleanup string
	// SourceIDKey is the metadata key holding a document's source id (its
	// record group); "" means [DefaultSourceIDKey]. Incremental cleanup
	// requires every document to have it.
	SourceIDKey string
	// BatchSize is the number of documents hashed, checked and written at
	// a time; 0 means 100.
	BatchSize int
	// VectorStoreName, when set and the record manager implements
	// [NamespaceScoper], scopes the records to this vector store (Flowise
	// passes the collection, table or namespace name), so one record
	// manager can serve several stores.
	VectorStoreName string
}

// IndexOptionsProvider is implemented by record managers that carry the
// indexing settings chosen on their node (Flowise's record manager nodes
// have cleanup and sourceIdKey inputs). Vector store nodes pass them to
// [Index].
type IndexOptionsProvider interface {
	IndexOptions() IndexOptions
}

// NamespaceScoper is implemented by record managers whose records are
// namespaced. Scoped returns a record manager over the same storage whose
// namespace is the receiver's followed by "_" and name, as Flowise's
// index() does with its vectorStoreName option.
type NamespaceScoper interface {
	Scoped(name string) RecordManager
}

// fullCleanupBatch is how many keys a full cleanup deletes at a time
// (LangChain's cleanupBatchSize).
const fullCleanupBatch = 1000

// Index writes docs into vs, using rm to skip the documents already written
// and to delete stale ones: LangChain's indexing API (index() in
// @langchain/core/indexing, as Flowise's packages/components/src/indexing.ts
// runs it).
//
// Each document is keyed by a hash of its page content and metadata (see
// [DocumentKey]), so a document is written again only when it changed.
// Batch by batch, Index drops duplicates within the batch, asks rm which
// keys exist, refreshes the existing ones (counted as skipped), adds the new
// ones to vs with their keys as ids (counted as added) and records every key
// of the batch with its source id as group, stamped with the time the run
// started. Incremental cleanup then deletes, from vs and rm, the keys of the
// batch's sources recorded before the run; full cleanup deletes every key
// recorded before the run once all batches are written. NumUpdated stays 0:
// forced re-indexing is not offered. AddedDocs lists the documents added.
//
// Index is not atomic: when it fails part-way, what was written stays
// written and recorded, and a later run picks up from there.
func Index(ctx context.Context, docs []Document, vs VectorStore, rm RecordManager, opts IndexOptions) (UpsertResult, error) {
	res := UpsertResult{AddedDocs: []Document{}}
	if vs == nil || rm == nil {
		return res, errors.New("indexing: a vector store and a record manager are required")
	}
	switch opts.Cleanup {
	case "", CleanupNone, CleanupIncremental, CleanupFull:
	default:
		return res, fmt.Errorf("indexing: unknown cleanup mode %q (want none, incremental or full)", opts.Cleanup)
	}
	sourceKey := opts.SourceIDKey
	if sourceKey == "" {
		sourceKey = DefaultSourceIDKey
	}
	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = 100
	}
	if s, ok := rm.(NamespaceScoper); ok && opts.VectorStoreName != "" {
		rm = s.Scoped(opts.VectorStoreName)
	}
	start, err := rm.Now(ctx)
	if err != nil {
		return res, fmt.Errorf("indexing: reading the record manager's time: %w", err)
	}
	for batch := range slices.Chunk(docs, batchSize) {
		if err := indexBatch(ctx, batch, vs, rm, opts.Cleanup, sourceKey, start, &res); err != nil {
			return res, err
		}
	}
	if opts.Cleanup == CleanupFull {
		stale, err := rm.ListKeys(ctx, start, nil)
		if err != nil {
			return res, fmt.Errorf("indexing: listing stale keys: %w", err)
		}
		for chunk := range slices.Chunk(stale, fullCleanupBatch) {
			if err := deleteKeys(ctx, vs, rm, chunk); err != nil {
				return res, err
			}
			res.NumDeleted += len(chunk)
		}
	}
	return res, nil
}

// indexBatch runs one batch of [Index], adding to res.
func indexBatch(ctx context.Context, batch []Document, vs VectorStore, rm RecordManager, cleanup, sourceKey string, start time.Time, res *UpsertResult) error {
	keys := make([]string, 0, len(batch))
	var unique []Document
	seen := make(map[string]bool, len(batch))
	for i, d := range batch {
		k, err := DocumentKey(d)
		if err != nil {
			return fmt.Errorf("indexing: document %d: %w", i, err)
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
		unique = append(unique, d)
	}
	groups := make([]string, len(unique))
	for i, d := range unique {
		g, ok := sourceID(d, sourceKey)
		if !ok && cleanup == CleanupIncremental {
			return fmt.Errorf("indexing: a document has no %q metadata, which incremental cleanup needs to find its source", sourceKey)
		}
		groups[i] = g
	}
	exists, err := rm.Exists(ctx, keys)
	if err != nil {
		return fmt.Errorf("indexing: checking keys: %w", err)
	}
	if len(exists) != len(keys) {
		return fmt.Errorf("indexing: record manager answered %d existence flags for %d keys", len(exists), len(keys))
	}
	var newKeys, oldKeys []string
	var newDocs []Document
	for i, k := range keys {
		if exists[i] {
			oldKeys = append(oldKeys, k)
			continue
		}
		newKeys = append(newKeys, k)
		newDocs = append(newDocs, unique[i])
	}
	if len(oldKeys) > 0 {
		if err := rm.Update(ctx, oldKeys, nil, start); err != nil {
			return fmt.Errorf("indexing: refreshing unchanged keys: %w", err)
		}
		res.NumSkipped += len(oldKeys)
	}
	if len(newDocs) > 0 {
		if _, err := vs.AddDocuments(ctx, newDocs, newKeys); err != nil {
			return fmt.Errorf("indexing: adding documents: %w", err)
		}
		res.NumAdded += len(newDocs)
		res.AddedDocs = append(res.AddedDocs, newDocs...)
	}
	if err := rm.Update(ctx, keys, groups, start); err != nil {
		return fmt.Errorf("indexing: recording keys: %w", err)
	}
	if cleanup != CleanupIncremental {
		return nil
	}
	sources := slices.Compact(slices.Sorted(slices.Values(groups)))
	stale, err := rm.ListKeys(ctx, start, sources)
	if err != nil {
		return fmt.Errorf("indexing: listing stale keys: %w", err)
	}
	if len(stale) == 0 {
		return nil
	}
	if err := deleteKeys(ctx, vs, rm, stale); err != nil {
		return err
	}
	res.NumDeleted += len(stale)
	return nil
}

func deleteKeys(ctx context.Context, vs VectorStore, rm RecordManager, keys []string) error {
	if err := vs.Delete(ctx, keys); err != nil {
		return fmt.Errorf("indexing: deleting stale documents: %w", err)
	}
	if err := rm.DeleteKeys(ctx, keys); err != nil {
		return fmt.Errorf("indexing: forgetting stale keys: %w", err)
	}
	return nil
}

// sourceID returns d's source id under key as a group id, and whether it
// has one. Strings are used as they are; other values as their JSON text.
func sourceID(d Document, key string) (string, bool) {
	v, ok := d.Metadata[key]
	if !ok || v == nil {
		return "", false
	}
	if s, isString := v.(string); isString {
		return s, s != ""
	}
	s, err := jsStringify(v, nil)
	if err != nil {
		return fmt.Sprint(v), true
	}
	return s, true
}

// reservedMetadataKeys may not appear in indexed documents' metadata
// (LangChain reserves them for its hashes).
var reservedMetadataKeys = []string{"hash_", "content_hash", "metadata_hash"}

// DocumentKey returns the record key [Index] uses for d, the same uid
// LangChain JS computes (_HashedDocument): a UUID v5 of the SHA-256 of the
// UUIDs of the page content's and the metadata's SHA-256, the metadata
// serialised as JavaScript's JSON.stringify(metadata, sortedTopLevelKeys)
// does. Keys therefore match those Flowise writes, so a record table can be
// shared with it. Metadata using a reserved key (hash_, content_hash,
// metadata_hash) is an error.
func DocumentKey(d Document) (string, error) {
	for _, k := range reservedMetadataKeys {
		if _, ok := d.Metadata[k]; ok {
			return "", fmt.Errorf("metadata key %q is reserved for indexing", k)
		}
	}
	keys := slices.SortedFunc(maps.Keys(d.Metadata), compareUTF16)
	meta, err := jsStringify(map[string]any(d.Metadata), keys)
	if err != nil {
		return "", fmt.Errorf("hashing metadata: %w", err)
	}
	return hashToUUID(hashToUUID(d.PageContent) + hashToUUID(meta)), nil
}

// keyNamespace is LangChain's UUIDV5_NAMESPACE for record keys.
var keyNamespace = [16]byte{0x10, 0xf9, 0x0e, 0xa3, 0x90, 0xa4, 0x49, 0x62, 0xbf, 0x75, 0x83, 0xa0, 0xf3, 0xc1, 0xc6, 0x2a}

// hashToUUID is LangChain's _hashStringToUUID: the UUID v5 (in
// keyNamespace) of the hex SHA-256 of s.
func hashToUUID(s string) string {
	sum := sha256.Sum256([]byte(s))
	h := sha1.New() //nolint:gosec // UUID v5 is defined over SHA-1
	h.Write(keyNamespace[:])
	h.Write([]byte(hex.EncodeToString(sum[:])))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	var b strings.Builder
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b.WriteByte('-')
		}
		b.WriteString(hex.EncodeToString([]byte{c}))
	}
	return b.String()
}

// compareUTF16 orders strings as JavaScript's default sort does: by UTF-16
// code units.
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

// jsStringify serialises v as JavaScript's JSON.stringify(v, allow) does
// with an array replacer: objects (at every depth) keep only the keys listed
// in allow, in allow's order. A nil allow keeps every key, sorted. Values
// that are not JSON types are first converted through encoding/json.
func jsStringify(v any, allow []string) (string, error) {
	var b strings.Builder
	if err := writeJS(&b, v, allow, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeJS(b *strings.Builder, v any, allow []string, depth int) error {
	if depth > 100 {
		return errors.New("metadata nested too deeply")
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		writeJSString(b, x)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return fmt.Errorf("number %s: %w", x, err)
		}
		b.WriteString(jsNumber(f))
	case float64:
		b.WriteString(jsNumber(x))
	case float32:
		b.WriteString(jsNumber(float64(x)))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		b.WriteString(jsNumber(reflect.ValueOf(x).Convert(reflect.TypeFor[float64]()).Float()))
	case map[string]any:
		keys := allow
		if keys == nil {
			keys = slices.SortedFunc(maps.Keys(x), compareUTF16)
		}
		b.WriteByte('{')
		n := 0
		for _, k := range keys {
			e, ok := x[k]
			if !ok {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			writeJSString(b, k)
			b.WriteByte(':')
			if err := writeJS(b, e, allow, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJS(b, e, allow, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		var generic any
		if err := dec.Decode(&generic); err != nil {
			return err
		}
		return writeJS(b, generic, allow, depth+1)
	}
	return nil
}

// writeJSString quotes s as JSON.stringify does: only the quote, the
// backslash and control characters are escaped.
func writeJSString(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[r>>4])
				b.WriteByte(hexDigits[r&0xf])
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// jsNumber formats f as JavaScript's Number.prototype.toString does
// (non-finite numbers become null, as in JSON.stringify).
func jsNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	if f == 0 {
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	// Shortest round-trip digits and decimal exponent: f = 0.digits × 10^n.
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±xx
	mant, expStr, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expStr)
	n, k := exp+1, len(digits)
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		expSign := "+"
		if n-1 < 0 {
			expSign = "-"
		}
		out = digits[:1]
		if k > 1 {
			out += "." + digits[1:]
		}
		out += "e" + expSign + strconv.Itoa(abs(n-1))
	}
	return sign + out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
