package speechtotext

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Vendor defaults of the OpenAI-compatible providers. LocalAI's default is
// Floe's (Flowise falls back to the OpenAI SDK's default, api.openai.com);
// it matches the chatLocalAI node.
const (
	openAIBaseURL  = "https://api.openai.com/v1"
	groqBaseURL    = "https://api.groq.com/openai/v1"
	localAIBaseURL = "http://localhost:8080/v1"

	openAIModel  = "whisper-1"
	groqModel    = "whisper-large-v3"
	localAIModel = "whisper-1"
)

// whisper calls the OpenAI audio transcription endpoint,
// POST {base}/audio/transcriptions, at OpenAI, Groq or a LocalAI server.
// Flowise reads the keys from the openAIApiKey, groqApiKey and
// localAIApiKey credential fields; only LocalAI's is optional.
func (t *Transcriber) whisper(ctx context.Context, cfg Config, cred map[string]any, a audioFile) (string, error) {
	var base, key, model string
	var err error
	switch cfg.Provider {
	case OpenAIWhisper:
		// Flowise always sends whisper-1 and has no base URL option.
		base, model = t.baseURL("OPENAI_BASE_URL", openAIBaseURL), openAIModel
		key, err = requireCred(cred, "openAIApiKey")
	case GroqWhisper:
		base, model = t.baseURL("GROQ_BASE_URL", groqBaseURL), cmp.Or(cfg.Model, groqModel)
		key, err = requireCred(cred, "groqApiKey")
	default: // LocalAI
		base = t.baseURL("LOCALAI_BASE_URL", localAIBaseURL)
		if cfg.BaseURL != "" {
			base = strings.TrimRight(cfg.BaseURL, "/")
		}
		model, key = cmp.Or(cfg.Model, localAIModel), credString(cred, "localAIApiKey")
	}
	if err != nil {
		return "", err
	}

	f := newForm()
	f.file("file", a)
	f.field("model", model)
	f.field("language", cfg.Language)
	f.field("prompt", cfg.Prompt)
	if cfg.Temperature != nil {
		f.field("temperature", strconv.FormatFloat(*cfg.Temperature, 'f', -1, 64))
	}
	f.field("response_format", "json")
	body, contentType, err := f.finish()
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/audio/transcriptions", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	var out struct {
		Text string `json:"text"`
	}
	if err := t.send(req, cfg.Provider, &out); err != nil {
		return "", err
	}
	return out.Text, nil
}
