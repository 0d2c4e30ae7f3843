package documentloaders

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const storagePrefix = "FILE-STORAGE::"

// file is one file of a file input: an uploaded data URI (decoded at Init)
// or a reference to a file stored for the flow (read at Load).
type file struct {
	name   string
	data   []byte
	stored bool
}

// fileSet is a file input's files and the storage to read stored ones from.
type fileSet struct {
	files      []file
	store      node.FileReader
	chatflowID string
}

// fileInput parses a file input as Flowise saves it: a data URI
// "data:<mime>;base64,<b64>,filename:<name>", a JSON array of them,
// "FILE-STORAGE::<name>" or "FILE-STORAGE::[\"a.txt\",\"b.md\"]". Data URIs
// are decoded here, so a corrupt upload fails at Init.
func fileInput(data *node.Data, rt *node.Runtime, name string) (*fileSet, error) {
	raw, err := data.String(name, "")
	if err != nil {
		return nil, err
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("input %q: no file given", name)
	}
	fs := &fileSet{}
	if rt != nil {
		fs.store, fs.chatflowID = rt.Files, rt.ChatflowID
	}
	if rest, ok := strings.CutPrefix(raw, storagePrefix); ok {
		names, err := listOrOne(rest)
		if err != nil {
			return nil, fmt.Errorf("input %q: parsing stored file list: %w", name, err)
		}
		for _, n := range names {
			if n == "" {
				continue
			}
			if strings.ContainsAny(n, `/\`) || n == "." || n == ".." {
				return nil, fmt.Errorf("input %q: invalid stored file name %q", name, n)
			}
			fs.files = append(fs.files, file{name: n, stored: true})
		}
	} else {
		uris, err := listOrOne(raw)
		if err != nil {
			return nil, fmt.Errorf("input %q: parsing file list: %w", name, err)
		}
		for _, u := range uris {
			if u == "" {
				continue
			}
			f, err := decodeDataURI(u)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", name, err)
			}
			fs.files = append(fs.files, f)
		}
	}
	if len(fs.files) == 0 {
		return nil, fmt.Errorf("input %q: no file given", name)
	}
	return fs, nil
}

// listOrOne parses s as a JSON array of strings when it is bracketed, else
// returns it alone.
func listOrOne(s string) ([]string, error) {
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return []string{s}, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeDataURI decodes "data:<mime>;base64,<b64>,filename:<name>". The
// name may contain commas; base64 never does.
func decodeDataURI(u string) (file, error) {
	name := "file"
	rest := u
	if i := strings.LastIndex(u, ",filename:"); i >= 0 {
		name, rest = u[i+len(",filename:"):], u[:i]
	}
	if !strings.HasPrefix(rest, "data:") {
		return file{}, fmt.Errorf("file %q: not a data URI", name)
	}
	comma := strings.LastIndex(rest, ",")
	if comma < 0 {
		return file{}, fmt.Errorf("file %q: data URI without data", name)
	}
	head, payload := rest[:comma], rest[comma+1:]
	if !strings.HasSuffix(head, ";base64") {
		return file{}, fmt.Errorf("file %q: data URI is not base64 encoded", name)
	}
	b, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "=")); err != nil {
			return file{}, fmt.Errorf("file %q: decoding base64: %w", name, err)
		}
	}
	return file{name: name, data: b}, nil
}

// each reads every file in order and passes it to parse, refusing empty
// files, and returns all documents.
func (fs *fileSet) each(ctx context.Context, parse func(name string, b []byte) ([]llm.Document, error)) ([]llm.Document, error) {
	var docs []llm.Document
	for _, f := range fs.files {
		b, err := fs.read(ctx, f)
		if err != nil {
			return nil, err
		}
		if len(b) == 0 {
			return nil, fmt.Errorf("file %q is empty", f.name)
		}
		got, err := parse(f.name, b)
		if err != nil {
			return nil, err
		}
		docs = append(docs, got...)
	}
	return docs, nil
}

func (fs *fileSet) read(ctx context.Context, f file) ([]byte, error) {
	if !f.stored {
		return f.data, nil
	}
	if fs.store == nil {
		return nil, fmt.Errorf("reading stored file %q: no file storage available", f.name)
	}
	b, err := fs.store.ReadFile(ctx, fs.chatflowID, f.name)
	if err != nil {
		return nil, fmt.Errorf("reading stored file %q: %w", f.name, err)
	}
	if len(b) > maxLocalBytes {
		return nil, fmt.Errorf("stored file %q is larger than %d bytes", f.name, maxLocalBytes)
	}
	return b, nil
}

// errContentType reports a file whose detected type the loader cannot read.
var errContentType = errors.New("unsupported content type")

// requireText refuses binary content (PDFs, archives, images...) where a
// loader expects text.
func requireText(name string, b []byte) error {
	mt := mimetype.Detect(b)
	for m := mt; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return nil
		}
	}
	return fmt.Errorf("file %q: %w %s, want text", name, errContentType, mt.String())
}

// requireType refuses content not detected as one of mimes (or a subtype).
func requireType(name string, b []byte, mimes ...string) error {
	mt := mimetype.Detect(b)
	for m := mt; m != nil; m = m.Parent() {
		for _, want := range mimes {
			if m.Is(want) {
				return nil
			}
		}
	}
	return fmt.Errorf("file %q: %w %s, want %s", name, errContentType, mt.String(), strings.Join(mimes, " or "))
}
