package vectorstores

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inBasePath = "basePath"

// faissFile is the index file the faiss node keeps in its basePath.
const faissFile = "floe-vectors.bin"

// faissMagic opens every index file, followed by the format version.
var faissMagic = [8]byte{'F', 'L', 'O', 'E', 'V', 'E', 'C', 0}

const faissVersion = 1

// faiss mirrors Flowise's Faiss node (nodes/vectorstores/Faiss) with Floe's
// own on-disk index: an exact cosine search over float32 vectors saved in
// basePath. It does not read or write Facebook FAISS index files; an upsert
// replaces the saved index, as in Flowise.
//
// Flowise's node has no File Upload input; Floe adds it as an additional
// parameter. With it on, a chat's upload is added to the saved index
// (tagged with the chat id) instead of replacing it, and searches see that
// chat's documents and those of no chat.
var faiss = node.Definition{
	Spec: node.Spec{
		Label:    "Faiss",
		Name:     "faiss",
		Version:  1,
		Type:     "Faiss",
		Icon:     "faiss.svg",
		Category: category,
		Description: "Upsert embedded data and perform similarity search upon query using Floe's built-in file index " +
			"(exact cosine search saved in Base Path). It does not read Facebook FAISS index files: upsert your documents again.",
		BaseClasses: baseClasses("Faiss"),
		Inputs: []node.Param{
			documentParam(),
			embeddingsParam(),
			{
				Label: "Base Path to load",
				Name:  inBasePath,
				Description: "Folder of the saved index (" + faissFile + "): an absolute path, or a path relative to the " +
					"server's data directory",
				Placeholder: "/var/lib/floe/vectorstore",
				Type:        node.TypeString,
			},
			topKParam(true),
			fileUploadParam(),
		},
		Outputs: outputs("Faiss", "Faiss", "SaveableVectorStore", "VectorStore"),
	},
	Init: initFaiss,
}

func initFaiss(_ context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	emb, err := embedder(data)
	if err != nil {
		return nil, err
	}
	raw, err := data.String(inBasePath, "")
	if err != nil {
		return nil, err
	}
	dataDir := ""
	if rt != nil {
		dataDir = rt.DataDir
	}
	dir, err := resolveBasePath(raw, dataDir)
	if err != nil {
		return nil, fmt.Errorf("input %q: %w", inBasePath, err)
	}
	idx, err := loadFaiss(dir)
	if err != nil {
		return nil, err
	}
	var saveMu sync.Mutex
	s := &flatStore{idx: idx, emb: emb, persist: func() error {
		saveMu.Lock()
		defer saveMu.Unlock()
		return saveFaiss(dir, idx.snapshot())
	}}
	in, err := newInstance(data, rt, s, nil)
	if err != nil {
		return nil, err
	}
	in.reset = s.reset
	return in.output(data), nil
}

// resolveBasePath checks a basePath input: an absolute path, or a path
// relative to dataDir that stays inside it; "" means dataDir/vectorstore.
// No ".." element is accepted anywhere.
func resolveBasePath(p, dataDir string) (string, error) {
	p = strings.TrimSpace(p)
	if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", errors.New("the path contains control characters")
	}
	for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return "", fmt.Errorf("path %q: \"..\" is not allowed", p)
		}
	}
	if runtime.GOOS != "windows" && len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z') {
		return "", fmt.Errorf("path %q is a Windows path; use a path on this server", p)
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if dataDir == "" {
		return "", fmt.Errorf("relative path %q: %w", p, errNoDataDir)
	}
	if p == "" {
		p = "vectorstore"
	}
	if !filepath.IsLocal(p) {
		return "", fmt.Errorf("path %q leaves the data directory", p)
	}
	return filepath.Join(dataDir, p), nil
}

// faissHeader is the JSON part of an index file; the vectors follow it.
type faissHeader struct {
	Dimension int          `json:"dimension"`
	Documents []faissEntry `json:"documents"`
}

type faissEntry struct {
	ID string `json:"id"`
	llm.Document
}

// loadFaiss reads dir's index file; a missing file is an empty index.
func loadFaiss(dir string) (*flatIndex, error) {
	idx := newFlatIndex()
	f, err := os.Open(filepath.Join(dir, faissFile))
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, "faiss.index")); err == nil {
			return nil, fmt.Errorf("%s holds a Facebook FAISS index (faiss.index), which Floe cannot read: upsert the documents again", dir)
		}
		return idx, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening the vector index: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var head struct {
		Magic   [8]byte
		Version uint32
		Length  uint32
	}
	if err := binary.Read(r, binary.LittleEndian, &head); err != nil || head.Magic != faissMagic {
		return nil, fmt.Errorf("reading %s: not a Floe vector index", f.Name())
	}
	if head.Version != faissVersion {
		return nil, fmt.Errorf("reading %s: index format version %d, want %d", f.Name(), head.Version, faissVersion)
	}
	raw := make([]byte, head.Length)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	var h faissHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	if len(h.Documents) == 0 {
		return idx, nil
	}
	ids := make([]string, len(h.Documents))
	docs := make([]llm.Document, len(h.Documents))
	vecs := make([][]float32, len(h.Documents))
	buf := make([]byte, 4*h.Dimension)
	for i, e := range h.Documents {
		ids[i], docs[i] = e.ID, e.Document
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("reading %s: vector %d: %w", f.Name(), i, err)
		}
		vecs[i] = make([]float32, h.Dimension)
		for j := range vecs[i] {
			vecs[i][j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
	}
	if err := idx.upsert(ids, docs, vecs); err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	return idx, nil
}

// saveFaiss writes entries to dir's index file, replacing it atomically.
func saveFaiss(dir string, entries []flatEntry) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("creating the index folder: %w", err)
	}
	h := faissHeader{Documents: make([]faissEntry, len(entries))}
	for i, e := range entries {
		h.Documents[i] = faissEntry{ID: e.id, Document: e.doc}
		h.Dimension = len(e.vec)
	}
	raw, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encoding the vector index: %w", err)
	}
	out := make([]byte, 0, len(faissMagic)+8+len(raw)+4*h.Dimension*len(entries))
	out = append(out, faissMagic[:]...)
	out = binary.LittleEndian.AppendUint32(out, faissVersion)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(raw)))
	out = append(out, raw...)
	for _, e := range entries {
		for _, x := range e.vec {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
		}
	}
	return writeFileAtomic(filepath.Join(dir, faissFile), out)
}

// writeFileAtomic replaces path with data: it writes a temporary file in
// the same folder, syncs it and renames it over path.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("saving the vector index: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the vector index: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the vector index: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving the vector index: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving the vector index: %w", err)
	}
	return nil
}
