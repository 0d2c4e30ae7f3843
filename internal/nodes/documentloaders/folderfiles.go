package documentloaders

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inFolderPath = "folderPath"
	inRecursive  = "recursive"
	inPdfUsage   = "pdfUsage"

	// EnvFolderRoots names the environment variable listing (comma
	// separated) the directories the Folder with Files loader may read.
	// Unset, the loader refuses every path.
	EnvFolderRoots = "FLOE_FOLDER_LOADER_ROOT"
)

// folderFiles mirrors Flowise's Folder with Files loader
// (nodes/documentloaders/Folder/Folder.ts, LangChain's DirectoryLoader):
// every file of a folder with a known extension, parsed by its type. Unlike
// Flowise, which reads any path the server can, it reads only below the
// directories of FLOE_FOLDER_LOADER_ROOT and never follows a symbolic link
// out of the folder.
var folderFiles = node.Definition{
	Spec: node.Spec{
		Label:       "Folder with Files",
		Name:        "folderFiles",
		Version:     4,
		Type:        "Document",
		Icon:        "folder.svg",
		Category:    category,
		Description: "Load data from folder with multiple files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "Folder Path", Name: inFolderPath, Type: node.TypeString, Placeholder: ""},
			{Label: "Recursive", Name: inRecursive, Type: node.TypeBoolean},
			splitterParam,
			{
				Label:            "Pdf Usage",
				Name:             inPdfUsage,
				Type:             node.TypeOptions,
				Description:      "Applies to PDF files only",
				Options:          pdfUsageOptions,
				Default:          usagePerPage,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "JSONL Pointer Extraction",
				Name:             inPointerName,
				Type:             node.TypeString,
				Description:      "Applies to JSONL files only",
				Placeholder:      "<pointerName>",
				Optional:         true,
				AdditionalParams: true,
			},
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initFolderFiles,
}

// textExtensions are the extensions read as plain text.
var textExtensions = map[string]bool{
	".txt": true, ".aspx": true, ".asp": true, ".cpp": true, ".c": true, ".cs": true, ".css": true, ".go": true,
	".h": true, ".kt": true, ".java": true, ".js": true, ".less": true, ".ts": true, ".php": true, ".proto": true,
	".python": true, ".py": true, ".rst": true, ".ruby": true, ".rb": true, ".rs": true, ".scala": true, ".sc": true,
	".scss": true, ".sol": true, ".sql": true, ".swift": true, ".markdown": true, ".md": true, ".tex": true,
	".ltx": true, ".html": true, ".vb": true, ".xml": true,
}

// folder is the Folder with Files configuration.
type folder struct {
	root      string // allowed root containing the folder
	rel       string // folder relative to root
	shown     string // folder as the user wrote it, for sources
	recursive bool
	perFile   bool
	pointer   string // JSONL pointer, "" when not given
	log       func(msg string, args ...any)
}

func initFolderFiles(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	path, err := data.String(inFolderPath, "")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(path) == "" {
		return nil, fmt.Errorf("input %q: a folder path is required", inFolderPath)
	}
	root, rel, err := allowedFolder(path, os.Getenv(EnvFolderRoots))
	if err != nil {
		return nil, err
	}
	f := &folder{root: root, rel: rel, shown: path, log: rt.Log().Warn}
	if f.recursive, err = data.Bool(inRecursive, true); err != nil {
		return nil, err
	}
	if f.perFile, err = pdfPerFile(data, inPdfUsage); err != nil {
		return nil, err
	}
	if p, err := data.String(inPointerName, ""); err != nil {
		return nil, err
	} else if strings.TrimSpace(p) != "" {
		f.pointer = "/" + strings.TrimSpace(p)
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = f.load
	return finish(ctx, data, l)
}

// allowedFolder resolves path (symbolic links included) and returns the
// allowed root containing it and the path relative to that root. roots is
// the comma list of FLOE_FOLDER_LOADER_ROOT.
func allowedFolder(path, roots string) (root, rel string, err error) {
	if strings.TrimSpace(roots) == "" {
		return "", "", fmt.Errorf("reading folder %q: the folder loader is disabled; set %s to the directories it may read", path, EnvFolderRoots)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", fmt.Errorf("reading folder %q: %w", path, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", "", fmt.Errorf("reading folder %q: %w", path, err)
	}
	for r := range strings.SplitSeq(roots, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		rr, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if resolved, err := filepath.EvalSymlinks(rr); err == nil {
			rr = resolved
		}
		rel, err := filepath.Rel(rr, real)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			continue
		}
		return rr, rel, nil
	}
	return "", "", fmt.Errorf("reading folder %q: path is outside the directories allowed by %s", path, EnvFolderRoots)
}

// load reads the folder through an os.Root, which refuses any path (or
// symbolic link) leading out of the allowed root.
func (f *folder) load(context.Context) ([]llm.Document, error) {
	root, err := os.OpenRoot(f.root)
	if err != nil {
		return nil, fmt.Errorf("reading folder %q: %w", f.shown, err)
	}
	defer root.Close()
	sub, err := root.OpenRoot(f.rel)
	if err != nil {
		return nil, fmt.Errorf("reading folder %q: %w", f.shown, err)
	}
	defer sub.Close()
	var docs []llm.Document
	err = fs.WalkDir(sub.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && !f.recursive {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			f.log("folder loader: skipping non-regular file", "folder", f.shown, "file", p)
			return nil
		}
		got, err := f.file(sub, p)
		if err != nil {
			return err
		}
		docs = append(docs, got...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading folder %q: %w", f.shown, err)
	}
	return docs, nil
}

// file parses one file by its extension; unknown extensions are skipped
// with a warning, as DirectoryLoader does.
func (f *folder) file(root *os.Root, p string) ([]llm.Document, error) {
	ext := strings.ToLower(filepath.Ext(p))
	source := filepath.Join(f.shown, filepath.FromSlash(p))
	var parse func(name string, b []byte) ([]llm.Document, error)
	switch {
	case textExtensions[ext]:
		parse = textDocs
	case ext == ".json":
		parse = func(n string, b []byte) ([]llm.Document, error) { return jsonDocs(n, b, nil, nil, false) }
	case ext == ".jsonl":
		if f.pointer == "" {
			return nil, fmt.Errorf("file %q: JSONL files need the %q input", source, inPointerName)
		}
		parse = func(n string, b []byte) ([]llm.Document, error) { return jsonlDocs(n, b, f.pointer, nil) }
	case ext == ".csv":
		parse = func(n string, b []byte) ([]llm.Document, error) { return csvDocs(n, b, "") }
	case ext == ".pdf":
		parse = func(n string, b []byte) ([]llm.Document, error) { return pdfDocs(n, b, f.perFile) }
	case ext == ".docx":
		parse = docxDocs
	default:
		f.log("folder loader: skipping file of unsupported type", "file", source)
		return nil, nil
	}
	info, err := root.Stat(filepath.FromSlash(p))
	if err != nil {
		return nil, err
	}
	if info.Size() > maxLocalBytes {
		return nil, fmt.Errorf("file %q is larger than %d bytes", source, maxLocalBytes)
	}
	b, err := root.ReadFile(filepath.FromSlash(p))
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		f.log("folder loader: skipping empty file", "file", source)
		return nil, nil
	}
	return parse(source, b)
}
