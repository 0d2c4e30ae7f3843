package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/speechtotext"
	"github.com/floehq/floe/internal/store"
)

// uploadSizeAndTypes is one entry of the upload capabilities' size lists.
type uploadSizeAndTypes struct {
	FileTypes     []string `json:"fileTypes"`
	MaxUploadSize int      `json:"maxUploadSize"`
}

// uploadsConfig is GET /api/v1/chatflows-uploads/{id}'s answer
// (reference §5.1).
type uploadsConfig struct {
	IsSpeechToTextEnabled  bool                 `json:"isSpeechToTextEnabled"`
	IsImageUploadAllowed   bool                 `json:"isImageUploadAllowed"`
	IsRAGFileUploadAllowed bool                 `json:"isRAGFileUploadAllowed"`
	ImgUploadSizeAndTypes  []uploadSizeAndTypes `json:"imgUploadSizeAndTypes"`
	FileUploadSizeAndTypes []uploadSizeAndTypes `json:"fileUploadSizeAndTypes"`
}

// imageChainNodes are the V1 nodes that pass image uploads to their model
// (Flowise's imgUploadAllowedNodes).
var imageChainNodes = []string{"llmChain", "conversationChain", "reactAgentChat", "conversationalAgent", "toolAgent", "supervisor", "seqStart"}

// uploadCapabilities computes what a chatflow lets chat users upload, as
// Flowise's getUploadsConfig does: speech to text when a provider Floe can
// run is on; images when an image-capable chain and a chat model with
// allowImageUploads on are present; RAG files when the first vector store
// with fileUpload on is fed by a loader with a file input.
func (s *Server) uploadCapabilities(cf *store.ChatFlow, f *flow.Flow) uploadsConfig {
	out := uploadsConfig{ImgUploadSizeAndTypes: []uploadSizeAndTypes{}, FileUploadSizeAndTypes: []uploadSizeAndTypes{}}
	if _, on, err := speechtotext.ParseConfig(deref(cf.SpeechToText)); on && err == nil {
		out.IsSpeechToTextEnabled = true
	}
	if f == nil {
		return out
	}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Data.Category != "Vector Stores" || !truthy(n.Data.Inputs["fileUpload"]) {
			continue
		}
		handle := n.ID + "-input-document-Document"
		for _, e := range f.Edges {
			if e.Target != n.ID || e.TargetHandle != handle {
				continue
			}
			src := f.Node(e.Source)
			if src == nil {
				continue
			}
			if types := s.loaderFileTypes(src); types != "" {
				out.FileUploadSizeAndTypes = append(out.FileUploadSizeAndTypes, uploadSizeAndTypes{FileTypes: strings.Split(types, ", "), MaxUploadSize: maxFileUploadMB})
				out.IsRAGFileUploadAllowed = true
			}
		}
		break // Flowise looks at the first such vector store only
	}
	hasChain := slices.ContainsFunc(f.Nodes, func(n flow.Node) bool { return slices.Contains(imageChainNodes, n.Data.Name) })
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if !s.allowsImages(n) {
			continue
		}
		if hasChain || n.Data.Category == "Agent Flows" {
			// Flowise's list, trailing "" included (it splits "...;image/webp;").
			out.ImgUploadSizeAndTypes = append(out.ImgUploadSizeAndTypes, uploadSizeAndTypes{
				FileTypes: append(slices.Clone(imageUploadTypes), ""), MaxUploadSize: maxImageUploadMB})
			out.IsImageUploadAllowed = true
		}
	}
	return out
}

// allowsImages reports whether a node is a chat model whose Floe
// implementation takes images and has allowImageUploads on, or an
// Agentflow V2 node whose model config has it on.
func (s *Server) allowsImages(n *flow.Node) bool {
	if n.Data.Category == "Agent Flows" {
		for _, k := range []string{"agentModelConfig", "llmModelConfig", "conditionAgentModelConfig"} {
			if m, ok := n.Data.Inputs[k].(map[string]any); ok && truthy(m["allowImageUploads"]) {
				return true
			}
		}
		return false
	}
	if !truthy(n.Data.Inputs["allowImageUploads"]) {
		return false
	}
	def, err := s.nodes.Lookup(n.Data.Name)
	return err == nil && slices.ContainsFunc(def.Spec.Inputs, func(p node.Param) bool { return p.Name == "allowImageUploads" })
}

// loaderFileTypes returns the fileType of a loader node's file input
// ("" when it has none), from the saved inputParams or Floe's spec.
func (s *Server) loaderFileTypes(n *flow.Node) string {
	for _, raw := range n.Data.InputParams {
		var p struct{ Type, FileType string }
		if json.Unmarshal(raw, &p) == nil && p.Type == node.TypeFile && p.FileType != "" {
			return p.FileType
		}
	}
	if def, err := s.nodes.Lookup(n.Data.Name); err == nil {
		for _, p := range def.Spec.Inputs {
			if p.Type == node.TypeFile && p.FileType != "" {
				return p.FileType
			}
		}
	}
	return ""
}

// truthy reads a saved boolean input (true or "true").
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x == "true"
	}
	return false
}

// chatflowUploads is GET /api/v1/chatflows-uploads/{id} (public).
func (s *Server) chatflowUploads(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	f, _, _ := s.plan(cf)
	writeJSON(w, http.StatusOK, s.uploadCapabilities(cf, f))
	return nil
}

// publicChatbotConfig is GET /api/v1/public-chatbotConfig/{id} (public):
// the chatflow's chatbotConfig without its origin allow-list, plus the
// upload capabilities, isTTSEnabled (always false: Floe has no text to
// speech yet) and, for a public chatflow or an admin, the flow with
// secrets and files stripped.
func (s *Server) publicChatbotConfig(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	out := map[string]any{}
	if raw := deref(cf.ChatbotConfig); raw != "" {
		if err := json.Unmarshal([]byte(raw), &out); err != nil || out == nil {
			out = map[string]any{}
		}
	}
	delete(out, "allowedOrigins")
	delete(out, "allowedOriginsError")
	f, _, _ := s.plan(cf)
	out["uploads"] = s.uploadCapabilities(cf, f)
	// The flow (prompts included) only for a public chatflow or an admin,
	// as Flowise 3.1 gates this route; an embedded chat needs the rest.
	if (cf.IsPublic != nil && *cf.IsPublic) || s.authorizeAdmin(r) == nil {
		clean, err := sanitizeFlowData(cf.FlowData)
		if err != nil {
			return err
		}
		out["flowData"] = clean
	}
	out["isTTSEnabled"] = false
	writeJSON(w, http.StatusOK, out)
	return nil
}

// fullFileConfig is chatbotConfig.fullFileUpload.
type fullFileConfig struct {
	Status                 bool   `json:"status"`
	AllowedUploadFileTypes string `json:"allowedUploadFileTypes"`
	PDFFile                struct {
		Usage string `json:"usage"`
	} `json:"pdfFile"`
}

// attachmentLoaders maps a full-file upload's media type to the loader
// node and file input that extract its text.
var attachmentLoaders = map[string][2]string{
	"text/plain": {"textFile", "txtFile"}, "text/css": {"textFile", "txtFile"}, "text/html": {"textFile", "txtFile"},
	"text/markdown": {"textFile", "txtFile"}, "application/x-yaml": {"textFile", "txtFile"},
	"application/sql": {"textFile", "txtFile"}, "application/xml": {"textFile", "txtFile"},
	"application/pdf":  {"pdfFile", "pdfFile"},
	"application/json": {"jsonFile", "jsonFile"},
	"text/csv":         {"csvFile", "csvFile"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docxFile", "docxFile"},
}

// attachment is one entry of the attachments API's answer.
type attachment struct {
	Name     string `json:"name"`
	MimeType string `json:"mimeType"`
	Size     int    `json:"size"`
	Content  string `json:"content"`
}

// createAttachments is POST /api/v1/attachments/{chatflowId}/{chatId}
// (public, reference §5.5): multipart files, stored under the chat and
// returned with their extracted text (or base64 with base64=true), for
// the client to send back as file:full uploads. It needs
// chatbotConfig.fullFileUpload on (403 otherwise) and each file's type in
// its allow-list (400); ids and names are checked before any path is
// touched (400); a file that cannot be parsed is a 422 and nothing is
// kept.
func (s *Server) createAttachments(w http.ResponseWriter, r *http.Request) error {
	chatflowID, chatID := r.PathValue("chatflowId"), r.PathValue("chatId")
	if !uuidRE.MatchString(chatflowID) {
		return errorf(http.StatusBadRequest, "Invalid chatflowId format: %q is not a uuid", chatflowID)
	}
	if err := blob.CheckChatID(chatID); err != nil {
		return errorf(http.StatusBadRequest, "invalid chatId: %v", err)
	}
	cf, err := s.db.GetChatFlow(r.Context(), chatflowID)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Chatflow %s not found in the database!", chatflowID)
	}
	if err != nil {
		return err
	}
	if err := checkOrigin(r, cf.ChatbotConfig); err != nil {
		return err
	}
	var cfg struct {
		FullFileUpload fullFileConfig `json:"fullFileUpload"`
	}
	_ = json.Unmarshal([]byte(deref(cf.ChatbotConfig)), &cfg)
	if !cfg.FullFileUpload.Status {
		return errorf(http.StatusForbidden, "File upload is not enabled for this chatflow")
	}
	allowed := map[string]bool{}
	for _, m := range strings.Split(cfg.FullFileUpload.AllowedUploadFileTypes, ",") {
		if m = baseMIME(m); fullFileUploadTypes[m] {
			allowed[m] = true
		}
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return mbe
		}
		return errorf(http.StatusBadRequest, "malformed multipart body: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	headers := r.MultipartForm.File["files"]
	if len(headers) == 0 {
		return errorf(http.StatusBadRequest, "no files: send them as multipart field %q", "files")
	}
	asBase64 := truthy(r.FormValue("base64"))
	type upload struct {
		name, mime string
		data       []byte
	}
	var files []upload
	for _, fh := range headers {
		if err := blob.CheckName(rawFileName(fh)); err != nil {
			return errorf(http.StatusBadRequest, "file %q: the name is not allowed: %v", rawFileName(fh), err)
		}
		m := baseMIME(fh.Header.Get("Content-Type"))
		if m == "" || m == "application/octet-stream" {
			m = baseMIME(contentTypeOf(fh.Filename))
		}
		if !allowed[m] {
			return errorf(http.StatusBadRequest, "file %q: type %s is not allowed for this chatflow's file uploads", fh.Filename, m)
		}
		if !mimeMatchesName(m, fh.Filename) {
			return errorf(http.StatusBadRequest, "file %q: the extension does not match its type %s", fh.Filename, m)
		}
		if fh.Size > maxFileUploadMB<<20 {
			return errorf(http.StatusRequestEntityTooLarge, "file %q is over the %d MB limit", fh.Filename, maxFileUploadMB)
		}
		data, err := readFormFile(fh)
		if err != nil {
			return err
		}
		if len(data) == 0 {
			return errorf(http.StatusBadRequest, "file %q is empty", fh.Filename)
		}
		files = append(files, upload{name: fh.Filename, mime: m, data: data})
	}
	// Extract every file's text before storing any: a corrupt file fails
	// the request with nothing kept.
	out := make([]attachment, len(files))
	for i, f := range files {
		content := ""
		if asBase64 {
			content = base64.StdEncoding.EncodeToString(f.data)
		} else {
			text, err := s.extractText(r.Context(), cf.ID, f.name, f.mime, f.data, cfg.FullFileUpload.PDFFile.Usage)
			if err != nil {
				return err
			}
			content = text
		}
		out[i] = attachment{Name: f.name, MimeType: f.mime, Size: len(f.data), Content: content}
	}
	pending := make([]pendingFile, len(files))
	for i, f := range files {
		pending[i] = pendingFile{name: f.name, mime: f.mime, data: f.data}
	}
	if _, err := s.storeUploads(r.Context(), cf.ID, chatID, pending); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// rawFileName is the file name the client sent. mime/multipart keeps only
// its last path element ("../x.txt" becomes "x.txt"); Floe refuses such
// names instead of silently renaming them.
func rawFileName(fh *multipart.FileHeader) string {
	if _, params, err := mime.ParseMediaType(fh.Header.Get("Content-Disposition")); err == nil {
		if n, ok := params["filename"]; ok {
			return n
		}
	}
	return fh.Filename
}

// readFormFile reads one multipart file.
func readFormFile(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("reading uploaded file %q: %w", fh.Filename, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("reading uploaded file %q: %w", fh.Filename, err)
	}
	return data, nil
}

// extractText runs the loader node for a file's type over its bytes and
// returns the documents' text joined by newlines. A file the loader
// cannot parse is a 422 naming it.
func (s *Server) extractText(ctx context.Context, chatflowID, name, m string, data []byte, pdfUsage string) (text string, err error) {
	ld, ok := attachmentLoaders[m]
	if !ok {
		return "", errorf(http.StatusBadRequest, "file %q: Floe cannot extract text from %s files", name, m)
	}
	def, err := s.nodes.Lookup(ld[0])
	if err != nil {
		return "", fmt.Errorf("extracting text of %q: %w", name, err)
	}
	inputs := map[string]any{ld[1]: "data:" + m + ";base64," + base64.StdEncoding.EncodeToString(data) + ",filename:" + name}
	if ld[0] == "pdfFile" {
		inputs["usage"] = "perFile"
		if pdfUsage == "perPage" {
			inputs["usage"] = pdfUsage
		}
	}
	defer func() {
		// A parser bug must not take the server down: it is the file's fault.
		if p := recover(); p != nil {
			text, err = "", errorf(http.StatusUnprocessableEntity, "file %q could not be read as %s", name, m)
		}
	}()
	out, err := def.Init(ctx, &node.Data{ID: ld[0] + "_attachment", Name: ld[0], Inputs: inputs, Outputs: map[string]any{"output": "text"}},
		&node.Runtime{Logger: s.log, ChatflowID: chatflowID})
	if err != nil {
		return "", errorf(http.StatusUnprocessableEntity, "file %q could not be read as %s: %v", name, m, err)
	}
	t, ok := out.(string)
	if !ok {
		return "", fmt.Errorf("extracting text of %q: loader %s returned %T", name, ld[0], out)
	}
	return strings.TrimSuffix(t, "\n"), nil
}

// getUploadFile is GET /api/v1/get-upload-file (public, reference §5.7):
// streams a chat upload. Every id and the name are checked before the
// store is touched (400); an unknown chatflow or file is a 404. The file
// is served with its type from its extension, nosniff, and, for types a
// browser would run as a page (HTML, SVG, XML, JavaScript), as a
// sandboxed download.
func (s *Server) getUploadFile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	chatflowID, chatID, name := q.Get("chatflowId"), q.Get("chatId"), q.Get("fileName")
	if chatflowID == "" || chatID == "" || name == "" {
		return errorf(http.StatusBadRequest, "chatflowId, chatId and fileName are required")
	}
	if !uuidRE.MatchString(chatflowID) {
		return errorf(http.StatusBadRequest, "Invalid chatflowId format: %q is not a uuid", chatflowID)
	}
	if err := blob.CheckChatID(chatID); err != nil {
		return errorf(http.StatusBadRequest, "invalid chatId: %v", err)
	}
	if err := blob.CheckName(name); err != nil {
		return errorf(http.StatusBadRequest, "invalid fileName: %v", err)
	}
	if _, err := s.db.GetChatFlow(r.Context(), chatflowID); errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Chatflow %s not found in the database!", chatflowID)
	} else if err != nil {
		return err
	}
	rc, size, err := s.blobs.Open(r.Context(), blob.Key{ChatflowID: chatflowID, ChatID: chatID, Name: name})
	if errors.Is(err, blob.ErrNotFound) {
		return errorf(http.StatusNotFound, "File %s not found", name)
	}
	if err != nil {
		return fmt.Errorf("opening upload %q: %w", name, err)
	}
	defer rc.Close()
	ct := contentTypeOf(name)
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	disposition := "inline"
	switch baseMIME(ct) {
	case "text/html", "image/svg+xml", "application/xml", "text/xml", "text/javascript", "application/javascript":
		disposition = "attachment"
		h.Set("Content-Security-Policy", "sandbox")
	}
	if q.Get("download") == "true" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	if size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		s.log.WarnContext(r.Context(), "streaming an upload", "chatflow", chatflowID, "file", name, "err", err)
	}
	return nil
}

// textToSpeech answers Flowise's text-to-speech routes: Floe does not
// implement text to speech yet.
func (s *Server) textToSpeech(w http.ResponseWriter, r *http.Request) error {
	return errorf(http.StatusNotImplemented, "Text to speech is not available in this version of Floe")
}
