package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/store"
)

// credentialResolver decrypts stored credentials for nodes.
type credentialResolver struct{ s *Server }

// Credential returns the decrypted fields of credential id.
func (c credentialResolver) Credential(ctx context.Context, id string) (map[string]any, error) {
	if !uuidRE.MatchString(id) {
		return nil, fmt.Errorf("credential id %q is not a uuid", id)
	}
	cred, err := c.s.db.GetCredential(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("credential %s does not exist", id)
	}
	if err != nil {
		return nil, err
	}
	return c.s.decrypt(cred)
}

// historyReader serves memory nodes from the chat_message table. User
// turns with image uploads get their images back (stored files read from
// the blob store, URL images by URL), so vision models see them again on
// later turns, as Flowise replays them.
type historyReader struct {
	db    *store.DB
	blobs blob.Store // nil: no image replay
	log   *slog.Logger
}

// History returns a session's messages, oldest first; limit > 0 keeps the
// newest limit.
func (h historyReader) History(ctx context.Context, chatflowID, sessionID string, limit int) ([]llm.Message, error) {
	turns, err := h.db.ChatHistory(ctx, chatflowID, sessionID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]llm.Message, 0, len(turns))
	for _, m := range turns {
		role := llm.RoleAssistant
		if m.Role == "userMessage" {
			role = llm.RoleUser
		}
		msg := llm.Message{Role: role, Content: m.Content}
		if role == llm.RoleUser && m.FileUploads != nil && h.blobs != nil {
			msg.Images = h.images(ctx, chatflowID, m.ChatID, *m.FileUploads)
		}
		out = append(out, msg)
	}
	return out, nil
}

// images returns the image uploads of one stored user turn. A file that is
// gone (deleted with its chat) is skipped with a log line.
func (h historyReader) images(ctx context.Context, chatflowID, chatID, raw string) []llm.Image {
	var items []fileUpload
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		return nil
	}
	var out []llm.Image
	for _, it := range items {
		if !strings.HasPrefix(it.Mime, "image/") {
			continue
		}
		switch it.Type {
		case uploadURL:
			out = append(out, llm.Image{MIME: it.Mime, URL: it.Data})
		case uploadStored:
			data, err := h.blobs.ReadFile(ctx, blob.Key{ChatflowID: chatflowID, ChatID: chatID, Name: it.Name})
			if err != nil {
				if h.log != nil {
					h.log.WarnContext(ctx, "replaying an image upload from history", "chatflow", chatflowID, "chatId", chatID, "file", it.Name, "err", err)
				}
				continue
			}
			out = append(out, llm.Image{MIME: it.Mime, Data: data})
		}
	}
	return out
}

// variables returns the stored variables by name: static ones with their
// value, runtime ones read from the process environment.
func (s *Server) variables(ctx context.Context) (map[string]string, error) {
	vars, err := s.db.ListVariables(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(vars))
	for _, v := range vars {
		switch {
		case v.Type == "runtime":
			if val, ok := os.LookupEnv(v.Name); ok {
				out[v.Name] = val
			}
		case v.Value != nil:
			out[v.Name] = *v.Value
		}
	}
	return out, nil
}

// jsonText renders v as JSON text for a nullable column; nil stays nil.
func jsonColumn(v any) *string {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	s := string(b)
	return &s
}
