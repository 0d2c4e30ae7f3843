package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/engine"
	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/store"
)

// upsertFileKeys maps an uploaded file's extension to the loader input it
// fills (reference §1.2). Other extensions are refused: Flowise feeds them
// to the text loader whatever they hold.
var upsertFileKeys = map[string]string{
	".txt": "txtFile", ".md": "txtFile", ".markdown": "txtFile", ".html": "txtFile", ".htm": "txtFile",
	".pdf": "pdfFile", ".json": "jsonFile", ".csv": "csvFile", ".jsonl": "jsonlinesFile",
	".docx": "docxFile", ".yaml": "yamlFile", ".yml": "yamlFile",
}

// upsertInput is a decoded upsert request.
type upsertInput struct {
	StopNodeID string
	ChatID     string
	Overrides  map[string]any
	files      []upload
}

type upload struct {
	name string
	data []byte
}

func readUpsert(r *http.Request, maxBytes int64) (*upsertInput, error) {
	in := &upsertInput{Overrides: map[string]any{}}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		if r.ContentLength == 0 {
			return in, nil
		}
		b, err := readBody(r)
		if err != nil {
			return nil, err
		}
		if err := b.str("stopNodeId", &in.StopNodeID); err != nil {
			return nil, err
		}
		if err := b.str("chatId", &in.ChatID); err != nil {
			return nil, err
		}
		if raw, ok := b["overrideConfig"]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, &in.Overrides); err != nil {
				return nil, errorf(http.StatusBadRequest, "field %q must be a JSON object", "overrideConfig")
			}
		}
		return in, nil
	}
	if err := r.ParseMultipartForm(min(maxBytes, 32<<20)); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, mbe
		}
		return nil, errorf(http.StatusBadRequest, "malformed multipart body: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	for field, values := range r.MultipartForm.Value {
		if len(values) == 0 {
			continue
		}
		v := values[0]
		switch field {
		case "stopNodeId":
			in.StopNodeID = v
		case "chatId":
			in.ChatID = v
		case "overrideConfig", "vars":
			var m map[string]any
			if err := json.Unmarshal([]byte(v), &m); err != nil {
				return nil, errorf(http.StatusBadRequest, "field %q must hold a JSON object", field)
			}
			if field == "vars" {
				in.Overrides["vars"] = m
			} else {
				for k, x := range m {
					in.Overrides[k] = x
				}
			}
		default:
			in.Overrides[field] = v
		}
	}
	files, err := readLoaderFiles(r.MultipartForm, in.Overrides)
	if err != nil {
		return nil, err
	}
	in.files = files
	return in, nil
}

// readLoaderFiles reads a multipart form's "files" for document loaders
// (reference §1.2): each name is checked, its extension must map to a
// loader input, and overrides gets that input set to the stored names,
// FILE-STORAGE::["a.txt","b.txt"].
func readLoaderFiles(form *multipart.Form, overrides map[string]any) ([]upload, error) {
	var files []upload
	for field, headers := range form.File {
		if field != "files" {
			return nil, errorf(http.StatusBadRequest, "file field %q: upload files in the \"files\" field", field)
		}
		for _, fh := range headers {
			name := rawFileName(fh)
			if err := blob.CheckName(name); err != nil {
				return nil, errorf(http.StatusBadRequest, "file %q: %v", name, err)
			}
			if _, ok := upsertFileKeys[strings.ToLower(filepath.Ext(name))]; !ok {
				return nil, errorf(http.StatusUnsupportedMediaType, "file %q: unsupported file type %q (supported: %s)", name, filepath.Ext(name), supportedExts())
			}
			data, err := readFormFile(fh)
			if err != nil {
				return nil, errorf(http.StatusBadRequest, "%v", err)
			}
			if len(data) == 0 {
				return nil, errorf(http.StatusBadRequest, "file %q is empty", name)
			}
			files = append(files, upload{name: name, data: data})
		}
	}
	byKey := map[string][]string{}
	for _, u := range files {
		k := upsertFileKeys[strings.ToLower(filepath.Ext(u.name))]
		byKey[k] = append(byKey[k], u.name)
	}
	for k, names := range byKey {
		list, _ := json.Marshal(names)
		overrides[k] = "FILE-STORAGE::" + string(list)
	}
	return files, nil
}

func supportedExts() string {
	var exts []string
	for e := range upsertFileKeys {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return strings.Join(exts, " ")
}

// upsertResponse is the Vector Upsert API's answer.
type upsertResponse struct {
	NumAdded   int            `json:"numAdded"`
	NumDeleted int            `json:"numDeleted"`
	NumUpdated int            `json:"numUpdated"`
	NumSkipped int            `json:"numSkipped"`
	AddedDocs  []llm.Document `json:"addedDocs"`
}

// upsertVector is POST /api/v1/vector/upsert/{id}.
func (s *Server) upsertVector(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	apiCfg := engine.ParseAPIConfig(deref(cf.APIConfig))
	if rl := apiCfg.RateLimit; rl.Enabled && !s.limits.allow(cf.ID, clientIP(r.RemoteAddr), rl.Max, time.Duration(rl.Window)*time.Second, time.Now()) {
		return errorf(http.StatusTooManyRequests, "%s", cmpOr(rl.Message, "Too many requests, please try again later."))
	}
	in, err := readUpsert(r, int64(s.cfg.FileSizeLimit))
	if err != nil {
		return err
	}
	f, err := flow.Parse([]byte(cf.FlowData))
	if err != nil {
		return errorf(http.StatusBadRequest, "chatflow %s cannot run: %v", cf.ID, err)
	}
	target, err := engine.UpsertTarget(f, in.StopNodeID)
	if err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	chatID := in.ChatID
	if chatID != "" {
		if err := validChatID(chatID); err != nil {
			return err
		}
	}
	// Store the files, removing them again if the upsert fails.
	var stored []string
	defer func() {
		for _, name := range stored {
			_ = s.blobs.Delete(context.WithoutCancel(r.Context()), blob.Key{ChatflowID: cf.ID, Name: name})
		}
	}()
	for _, u := range in.files {
		if err := s.blobs.Put(r.Context(), blob.Key{ChatflowID: cf.ID, Name: u.name}, u.data); err != nil {
			return fmt.Errorf("storing upload: %w", err)
		}
		stored = append(stored, u.name)
	}
	vars, err := s.variables(r.Context())
	if err != nil {
		return err
	}
	req := engine.Request{ChatflowID: cf.ID, ChatID: chatID, SessionID: chatID, Flow: f, Overrides: in.Overrides,
		Permissions: apiCfg.Overrides, Vars: vars, Credentials: credentialResolver{s}, Stored: historyReader{db: s.db}}
	res, err := s.engine.Upsert(r.Context(), req, target)
	if err != nil {
		return upsertError(err, f)
	}
	stored = nil // keep the files: the upsert used them
	if res.AddedDocs == nil {
		res.AddedDocs = []llm.Document{}
	}
	out := upsertResponse{NumAdded: res.NumAdded, NumDeleted: res.NumDeleted, NumUpdated: res.NumUpdated, NumSkipped: res.NumSkipped, AddedDocs: res.AddedDocs}
	if err := s.recordUpsert(r.Context(), cf.ID, f, target.ID, out, in); err != nil {
		s.log.WarnContext(r.Context(), "recording upsert history", "chatflow", cf.ID, "err", err)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// upsertPredictionFiles handles files sent with a multipart prediction as
// Flowise does, where every prediction rebuilds the flow: the files are
// stored for the flow, and each vector store fed by a loader that takes
// them is upserted (through its record manager, if any) before the
// question is answered. Loaders not feeding a vector store read the files
// during the prediction itself.
func (s *Server) upsertPredictionFiles(ctx context.Context, cf *store.ChatFlow, f *flow.Flow, in *predictionInput, chatID string) error {
	var targets []*flow.Node
	for i := range f.Nodes {
		if n := &f.Nodes[i]; n.Data.Category == "Vector Stores" && s.feedsFrom(f, n.ID, in.Overrides) {
			targets = append(targets, n)
		}
	}
	var stored []string
	defer func() { // an upsert that fails keeps no files
		for _, name := range stored {
			_ = s.blobs.Delete(context.WithoutCancel(ctx), blob.Key{ChatflowID: cf.ID, Name: name})
		}
	}()
	for _, u := range in.files {
		if err := s.blobs.Put(ctx, blob.Key{ChatflowID: cf.ID, Name: u.name}, u.data); err != nil {
			return fmt.Errorf("storing upload: %w", err)
		}
		stored = append(stored, u.name)
	}
	if len(targets) == 0 {
		stored = nil
		return nil
	}
	vars, err := s.variables(ctx)
	if err != nil {
		return err
	}
	apiCfg := engine.ParseAPIConfig(deref(cf.APIConfig))
	for _, target := range targets {
		req := engine.Request{ChatflowID: cf.ID, ChatID: chatID, SessionID: chatID, Flow: f, Overrides: in.Overrides,
			Permissions: apiCfg.Overrides, Vars: vars, Credentials: credentialResolver{s}, Stored: historyReader{db: s.db}}
		if _, err := s.engine.Upsert(ctx, req, target); err != nil {
			return upsertError(err, f)
		}
	}
	stored = nil
	return nil
}

// feedsFrom reports whether a document loader upstream of node id has a
// file input (in Floe's spec of it) that overrides sets.
func (s *Server) feedsFrom(f *flow.Flow, id string, overrides map[string]any) bool {
	order, err := f.Order(id)
	if err != nil {
		return false
	}
	for _, nid := range order {
		n := f.Node(nid)
		if n == nil || n.Data.Category != "Document Loaders" {
			continue
		}
		def, err := s.nodes.Lookup(n.Data.Name)
		if err != nil {
			continue
		}
		for _, p := range def.Spec.Inputs {
			if _, set := overrides[p.Name]; set && p.Type == node.TypeFile {
				return true
			}
		}
	}
	return false
}

// upsertError maps an upsert failure: a problem with the flow is a 400, a
// document loader failing on the caller's files a 422.
func upsertError(err error, f *flow.Flow) error {
	var ne *engine.NodeError
	if errors.As(err, &ne) {
		if n := f.Node(ne.NodeID); n != nil && n.Data.Category == "Document Loaders" && !errors.Is(err, context.Canceled) {
			return errorf(http.StatusUnprocessableEntity, "%v", err)
		}
	}
	if errors.Is(err, engine.ErrUnrunnable) {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	return err
}

// recordUpsert writes the upsert-history row: the result without the
// documents, and the nodes on the upsert path with their settings (file
// inputs reduced to file names).
func (s *Server) recordUpsert(ctx context.Context, chatflowID string, f *flow.Flow, targetID string, out upsertResponse, in *upsertInput) error {
	res, err := json.Marshal(map[string]int{"numAdded": out.NumAdded, "numDeleted": out.NumDeleted, "numUpdated": out.NumUpdated, "numSkipped": out.NumSkipped})
	if err != nil {
		return err
	}
	order, err := f.Order(targetID)
	if err != nil {
		return err
	}
	type param struct {
		Label string `json:"label"`
		Name  string `json:"name"`
		Type  string `json:"type"`
		Value any    `json:"value"`
	}
	type nodeSummary struct {
		Label       string  `json:"label"`
		Name        string  `json:"name"`
		Category    string  `json:"category"`
		ID          string  `json:"id"`
		ParamValues []param `json:"paramValues"`
	}
	var nodes []nodeSummary
	for _, id := range order {
		n := f.Node(id)
		ns := nodeSummary{Label: n.Data.Label, Name: n.Data.Name, Category: n.Data.Category, ID: n.ID, ParamValues: []param{}}
		for _, raw := range n.Data.InputParams {
			var p struct{ Label, Name, Type string }
			if json.Unmarshal(raw, &p) != nil || p.Type == "password" || p.Type == "credential" {
				continue
			}
			v := n.Data.Inputs[p.Name]
			if p.Type == "file" {
				if o, ok := in.Overrides[p.Name].(string); ok {
					v = strings.TrimPrefix(o, "FILE-STORAGE::")
				} else {
					v = ""
				}
			}
			ns.ParamValues = append(ns.ParamValues, param{Label: p.Label, Name: p.Name, Type: p.Type, Value: v})
		}
		nodes = append(nodes, ns)
	}
	fd, err := json.Marshal(nodes)
	if err != nil {
		return err
	}
	return s.db.CreateUpsertHistory(ctx, &store.UpsertHistory{ChatflowID: chatflowID, Result: string(res), FlowData: string(fd)})
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
