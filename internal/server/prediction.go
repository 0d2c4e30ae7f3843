package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/engine"
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/store"
)

// predictionInput is a prediction request body (reference §1.1).
type predictionInput struct {
	Question  string
	Streaming bool
	ChatID    string
	Overrides map[string]any
	History   []llm.Message
	LeadEmail *string
	HasForm   bool
	Uploads   []uploadItem
	// files are multipart files for the flow's document loaders
	// (reference §1.2), mapped into Overrides as FILE-STORAGE inputs.
	files []upload
}

// readPrediction decodes a JSON or multipart prediction body.
func readPrediction(r *http.Request, maxMemory int64) (*predictionInput, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		return readPredictionForm(r, maxMemory)
	}
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	in := &predictionInput{}
	if err := b.str("question", &in.Question); err != nil {
		return nil, err
	}
	if raw, ok := b["streaming"]; ok && !isNull(raw) {
		var v any
		_ = json.Unmarshal(raw, &v)
		switch v {
		case true, "true":
			in.Streaming = true
		case false, "false":
		default:
			return nil, errorf(http.StatusBadRequest, "field %q must be a boolean", "streaming")
		}
	}
	if err := b.str("chatId", &in.ChatID); err != nil {
		return nil, err
	}
	if raw, ok := b["overrideConfig"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &in.Overrides); err != nil {
			return nil, errorf(http.StatusBadRequest, "field %q must be a JSON object", "overrideConfig")
		}
	}
	if raw, ok := b["history"]; ok && !isNull(raw) {
		if in.History, err = parseHistory(raw); err != nil {
			return nil, err
		}
	}
	if err := b.optStr("leadEmail", &in.LeadEmail); err != nil {
		return nil, err
	}
	if raw, ok := b["uploads"]; ok && !isNull(raw) {
		if in.Uploads, err = parseUploads(raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := b["form"]; ok && !isNull(raw) {
		var form map[string]any
		if err := json.Unmarshal(raw, &form); err != nil {
			return nil, errorf(http.StatusBadRequest, "field %q must be a JSON object", "form")
		}
		in.HasForm = len(form) > 0
	}
	return in, nil
}

// readPredictionForm reads a multipart prediction: text fields only; the
// JSON fields (overrideConfig, history) may be sent as JSON strings.
func readPredictionForm(r *http.Request, maxMemory int64) (*predictionInput, error) {
	if err := r.ParseMultipartForm(min(maxMemory, 32<<20)); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, mbe
		}
		return nil, errorf(http.StatusBadRequest, "malformed multipart body: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	f := r.MultipartForm.Value
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	in := &predictionInput{Question: get("question"), ChatID: get("chatId"), Streaming: get("streaming") == "true"}
	if s := get("overrideConfig"); s != "" {
		if err := json.Unmarshal([]byte(s), &in.Overrides); err != nil {
			return nil, errorf(http.StatusBadRequest, "field %q must hold a JSON object", "overrideConfig")
		}
	}
	if s := get("history"); s != "" {
		var err error
		if in.History, err = parseHistory(json.RawMessage(s)); err != nil {
			return nil, err
		}
	}
	if s := get("leadEmail"); s != "" {
		in.LeadEmail = &s
	}
	if len(r.MultipartForm.File) > 0 {
		// As Flowise: with files, the other form fields are overrides
		// too (e.g. returnSourceDocuments=true), vars parsed as JSON; all
		// still pass the chatflow's allow-list.
		if in.Overrides == nil {
			in.Overrides = map[string]any{}
		}
		for k, v := range f {
			switch k {
			case "question", "chatId", "streaming", "overrideConfig", "history", "leadEmail", "form":
				continue
			case "vars":
				var vars map[string]any
				if err := json.Unmarshal([]byte(v[0]), &vars); err != nil {
					return nil, errorf(http.StatusBadRequest, "field %q must hold a JSON object", "vars")
				}
				in.Overrides["vars"] = vars
			default:
				in.Overrides[k] = v[0]
			}
		}
		files, err := readLoaderFiles(r.MultipartForm, in.Overrides)
		if err != nil {
			return nil, err
		}
		in.files = files
	}
	return in, nil
}

// parseHistory reads [{role:'apiMessage'|'userMessage', content}] (and the
// legacy {type, message} form).
func parseHistory(raw json.RawMessage) ([]llm.Message, error) {
	var items []struct {
		Role    string `json:"role"`
		Content any    `json:"content"`
		Type    string `json:"type"`
		Message any    `json:"message"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errorf(http.StatusBadRequest, "field %q must be an array of {role, content}", "history")
	}
	out := make([]llm.Message, 0, len(items))
	for i, it := range items {
		role, content := it.Role, it.Content
		if role == "" {
			role, content = it.Type, it.Message
		}
		text, ok := content.(string)
		if !ok {
			return nil, errorf(http.StatusBadRequest, "history[%d]: content must be a string", i)
		}
		switch role {
		case "userMessage":
			out = append(out, llm.Message{Role: llm.RoleUser, Content: text})
		case "apiMessage":
			out = append(out, llm.Message{Role: llm.RoleAssistant, Content: text})
		default:
			return nil, errorf(http.StatusBadRequest, "history[%d]: role must be \"userMessage\" or \"apiMessage\"", i)
		}
	}
	return out, nil
}

// validChatID bounds a client-chosen chat or session id.
func validChatID(id string) error {
	if id == "" || len(id) > 256 || strings.ContainsFunc(id, func(r rune) bool { return unicode.IsControl(r) || r == '/' || r == '\\' }) {
		return errorf(http.StatusBadRequest, "invalid chatId: 1 to 256 characters, no control characters or slashes")
	}
	return nil
}

// checkOrigin applies chatbotConfig.allowedOrigins (reference §1.3).
func checkOrigin(r *http.Request, chatbotConfig *string) error {
	origin := r.Header.Get("Origin")
	if origin == "" || chatbotConfig == nil {
		return nil
	}
	var cfg struct {
		AllowedOrigins      []string `json:"allowedOrigins"`
		AllowedOriginsError string   `json:"allowedOriginsError"`
	}
	if json.Unmarshal([]byte(*chatbotConfig), &cfg) != nil || len(cfg.AllowedOrigins) == 0 || cfg.AllowedOrigins[0] == "" {
		return nil
	}
	if o, err := url.Parse(origin); err == nil {
		for _, a := range cfg.AllowedOrigins {
			if u, err := url.Parse(a); err == nil && u.Host != "" && strings.EqualFold(u.Host, o.Host) {
				return nil
			}
		}
	}
	msg := cfg.AllowedOriginsError
	if msg == "" {
		msg = "This site is not allowed to access this chatbot"
	}
	return errorf(http.StatusForbidden, "%s", msg)
}

// checkChatflowKey enforces the chatflow's API key (reference §8.1), with
// a 401 instead of Flowise's 500.
func (s *Server) checkChatflowKey(r *http.Request, cf *store.ChatFlow) error {
	if cf.APIKeyID == nil || *cf.APIKeyID == "" {
		return nil
	}
	k, err := s.verifyAPIKey(r.Context(), bearerKey(r.Header.Get("Authorization")))
	if err != nil {
		return err
	}
	if k.ID != *cf.APIKeyID {
		return errUnauthorized
	}
	return nil
}

// predictionResponse is the JSON answer, keys in Flowise's order.
type predictionResponse struct {
	Text            *string         `json:"text,omitempty"`
	JSON            any             `json:"json,omitempty"`
	SourceDocuments []llm.Document  `json:"sourceDocuments,omitempty"`
	UsedTools       []node.UsedTool `json:"usedTools,omitempty"`
	Question        string          `json:"question"`
	ChatID          string          `json:"chatId"`
	ChatMessageID   string          `json:"chatMessageId"`
	IsStreamValid   bool            `json:"isStreamValid"`
	SessionID       string          `json:"sessionId,omitempty"`
	MemoryType      string          `json:"memoryType,omitempty"`
}

// createPrediction is POST /api/v1/prediction/{id}.
func (s *Server) createPrediction(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	if err := checkOrigin(r, cf.ChatbotConfig); err != nil {
		return err
	}
	apiCfg := engine.ParseAPIConfig(deref(cf.APIConfig))
	if rl := apiCfg.RateLimit; rl.Enabled && !s.limits.allow(cf.ID, clientIP(r.RemoteAddr), rl.Max, time.Duration(rl.Window)*time.Second, time.Now()) {
		msg := rl.Message
		if msg == "" {
			msg = "Too many requests, please try again later."
		}
		return errorf(http.StatusTooManyRequests, "%s", msg)
	}
	if err := s.checkChatflowKey(r, cf); err != nil {
		return err
	}
	in, err := readPrediction(r, int64(s.cfg.FileSizeLimit))
	if err != nil {
		return err
	}
	// Every upload is checked before anything is stored, transcribed or
	// sent to a model.
	uploads, err := prepareUploads(in.Uploads)
	if err != nil {
		return err
	}
	if in.Question == "" && !in.HasForm && len(uploads.audio) == 0 && len(uploads.images) == 0 && uploads.fullText == "" {
		return errorf(http.StatusBadRequest, "question is required (send {\"question\": \"...\"})")
	}
	if in.Question != "" && in.HasForm {
		return errorf(http.StatusBadRequest, "Question and form cannot be provided at the same time")
	}
	if cf.Type == store.TypeAgentflow {
		return errorf(http.StatusNotImplemented, "Agentflow V2 execution is not available in this version of Floe")
	}
	cp := s.cachedPlan(cf)
	if cp.err != nil {
		return errorf(http.StatusBadRequest, "chatflow %s cannot run: %v", cf.ID, cp.err)
	}
	f, plan := cp.flow, cp.plan
	overrideSession, _ := in.Overrides["sessionId"].(string)
	chatID := in.ChatID
	if chatID == "" {
		chatID = overrideSession
	}
	if chatID == "" {
		chatID = uuid.NewString()
	}
	if err := validChatID(chatID); err != nil {
		return err
	}
	sessionID := overrideSession
	if sessionID == "" {
		sessionID = in.ChatID
	}
	if mem := engine.MemoryNode(f); sessionID == "" && mem != nil {
		sessionID, _ = mem.Data.Inputs["sessionId"].(string)
	}
	if sessionID == "" {
		sessionID = chatID
	}
	if err := validChatID(sessionID); err != nil {
		return errorf(http.StatusBadRequest, "invalid sessionId: 1 to 256 characters, no control characters or slashes")
	}
	if len(uploads.files) > 0 {
		if err := blob.CheckChatID(chatID); err != nil {
			return errorf(http.StatusBadRequest, "chatId %q cannot hold uploads: %v", chatID, err)
		}
	}
	// Speech to text replaces the question (Flowise: even a typed one).
	transcript, err := s.transcribe(r.Context(), cf, uploads.audio)
	if err != nil {
		return err
	}
	if transcript != "" {
		in.Question = transcript
	}
	if in.Question == "" && len(uploads.images) == 0 && uploads.fullText == "" {
		return errorf(http.StatusBadRequest, "question is required: the audio upload was not transcribed (speech to text is off for this chatflow)")
	}
	undoUploads, err := s.storeUploads(r.Context(), cf.ID, chatID, uploads.files)
	if err != nil {
		return err
	}
	saved := false
	defer func() {
		if !saved {
			undoUploads()
		}
	}()
	if len(in.files) > 0 {
		if err := s.upsertPredictionFiles(r.Context(), cf, f, in, chatID); err != nil {
			return err
		}
	}
	var vars map[string]string
	if cp.usesVars {
		if vars, err = s.variables(r.Context()); err != nil {
			return err
		}
	}
	streaming := in.Streaming && engine.IsStreamable(f, cf.Type, deref(cf.ChatbotConfig))

	ctx, done := s.runs.start(r.Context(), cf.ID, chatID)
	defer done()
	// Full-file uploads go before the question for the model (and into
	// {{file_attachment}}); the stored question stays bare.
	question := in.Question
	if uploads.fullText != "" {
		question = uploads.fullText + "\n\n" + in.Question
	}
	req := engine.Request{
		ChatflowID: cf.ID, ChatID: chatID, SessionID: sessionID, Flow: f, Plan: plan, Question: question,
		History: in.History, Overrides: in.Overrides, Permissions: apiCfg.Overrides, Vars: vars,
		FileAttachment: uploads.fullText, Images: uploads.images,
		Credentials: credentialResolver{s}, Stored: historyReader{db: s.db, blobs: s.blobs, log: s.log},
	}
	var sse *sseStream
	if streaming {
		sse = startSSE(w)
		defer sse.end()
		req.Emitter = sse
	}
	began := time.Now()
	res, runErr := s.engine.Run(ctx, req)
	if res == nil {
		res = &engine.Result{}
	}
	if runErr != nil && !(errors.Is(runErr, context.Canceled) && res.Text != "") {
		if errors.Is(runErr, context.Canceled) && context.Cause(ctx) == errAborted {
			runErr = errAborted
		}
		if sse != nil {
			_, msg := classifyRun(runErr)
			_ = sse.send("error", msg)
			return nil
		}
		status, msg := classifyRun(runErr)
		if status >= 500 {
			s.log.ErrorContext(r.Context(), "prediction failed", "chatflow", cf.ID, "err", runErr)
		}
		return &apiError{Status: status, Message: msg}
	}
	if res.Usage != nil {
		s.log.DebugContext(r.Context(), "prediction usage", "chatflow", cf.ID, "chatId", chatID,
			"input_tokens", res.Usage.InputTokens, "output_tokens", res.Usage.OutputTokens, "total_tokens", res.Usage.TotalTokens,
			"duration", time.Since(began))
	}
	msgID, err := s.saveTurn(context.WithoutCancel(ctx), cf, in, chatID, sessionID, res, uploads.stored)
	if err == nil {
		saved = true
	}
	if err != nil {
		if sse != nil {
			_ = sse.send("error", "saving the conversation: "+err.Error())
			return nil
		}
		return err
	}
	if sse != nil {
		if len(res.SourceDocuments) > 0 {
			_ = sse.send("sourceDocuments", res.SourceDocuments)
		}
		if len(res.UsedTools) > 0 {
			_ = sse.send("usedTools", res.UsedTools)
		}
		meta := map[string]any{"chatId": chatID, "chatMessageId": msgID, "question": in.Question, "sessionId": sessionID}
		if res.MemoryType != "" {
			meta["memoryType"] = res.MemoryType
		}
		_ = sse.send("metadata", orderedMetadata(meta))
		return nil
	}
	out := predictionResponse{
		JSON: res.JSON, SourceDocuments: res.SourceDocuments, UsedTools: res.UsedTools,
		Question: in.Question, ChatID: chatID, ChatMessageID: msgID, IsStreamValid: streaming,
		SessionID: sessionID, MemoryType: res.MemoryType,
	}
	if res.JSON == nil || res.Text != "" {
		out.Text = &res.Text
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// classifyRun maps an engine error to a status and the message the caller
// sees.
func classifyRun(err error) (int, string) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae.Status, ae.Message
	case errors.Is(err, engine.ErrUnrunnable):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, err.Error()
	default:
		return http.StatusInternalServerError, err.Error()
	}
}

// orderedMetadata renders the metadata event's keys in Flowise's order.
func orderedMetadata(m map[string]any) json.RawMessage {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for _, k := range []string{"chatId", "chatMessageId", "question", "sessionId", "memoryType"} {
		v, ok := m[k]
		if !ok || v == "" {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, _ := marshalNoEscape(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

func marshalNoEscape(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// saveTurn stores the user message and the answer in one transaction and
// returns the answer's id (chatMessageId).
func (s *Server) saveTurn(ctx context.Context, cf *store.ChatFlow, in *predictionInput, chatID, sessionID string, res *engine.Result, uploads []fileUpload) (string, error) {
	var memType *string
	if res.MemoryType != "" {
		memType = &res.MemoryType
	}
	content := res.Text
	if content == "" && res.JSON != nil {
		pretty, _ := json.MarshalIndent(res.JSON, "", "  ")
		content = "```json\n" + string(pretty)
	}
	user := &store.ChatMessage{Role: "userMessage", ChatflowID: cf.ID, Content: in.Question, ChatType: "EXTERNAL",
		ChatID: chatID, MemoryType: memType, SessionID: &sessionID, LeadEmail: in.LeadEmail}
	if len(uploads) > 0 {
		user.FileUploads = jsonColumn(uploads)
	}
	api := &store.ChatMessage{ID: uuid.NewString(), Role: "apiMessage", ChatflowID: cf.ID, Content: content, ChatType: "EXTERNAL",
		ChatID: chatID, MemoryType: memType, SessionID: &sessionID}
	if len(res.SourceDocuments) > 0 {
		api.SourceDocuments = jsonColumn(res.SourceDocuments)
	}
	if len(res.UsedTools) > 0 {
		api.UsedTools = jsonColumn(res.UsedTools)
	}
	if err := s.db.AddChatMessages(ctx, user, api); err != nil {
		return "", fmt.Errorf("saving chat messages: %w", err)
	}
	return api.ID, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// chatflowStreaming is GET /api/v1/chatflows-streaming/{id}: whether a
// prediction asking for streaming gets SSE.
func (s *Server) chatflowStreaming(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	f, _, _ := s.plan(cf)
	streaming := f != nil && engine.IsStreamable(f, cf.Type, deref(cf.ChatbotConfig))
	writeJSON(w, http.StatusOK, map[string]bool{"isStreaming": streaming})
	return nil
}
