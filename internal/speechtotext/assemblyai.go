package speechtotext

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

const assemblyAIBaseURL = "https://api.assemblyai.com"

// assemblyAITranscript is the part of AssemblyAI's transcript object read
// here.
type assemblyAITranscript struct {
	ID     string  `json:"id"`
	Status string  `json:"status"` // queued, processing, completed or error
	Text   *string `json:"text"`
	Error  string  `json:"error"`
}

// assemblyAI transcribes with AssemblyAI's v2 REST API, the three calls the
// SDK's transcripts.transcribe makes for Flowise: POST /v2/upload (the raw
// bytes) gives an upload_url, POST /v2/transcript submits it (with
// speaker_labels off, as Flowise asks), then GET /v2/transcript/{id} is
// polled every PollInterval until the status is completed or error. The
// API key (credential field assemblyAIApiKey) goes in the Authorization
// header as is. PollTimeout bounds the three steps together.
func (t *Transcriber) assemblyAI(ctx context.Context, cred map[string]any, a audioFile) (string, error) {
	key, err := requireCred(cred, "assemblyAIApiKey")
	if err != nil {
		return "", err
	}
	base := t.baseURL("ASSEMBLYAI_BASE_URL", assemblyAIBaseURL)
	limit := cmp.Or(t.PollTimeout, DefaultPollTimeout)
	ctx, cancel := context.WithTimeoutCause(ctx, limit,
		fmt.Errorf("no transcript within %s: %w", limit, context.DeadlineExceeded))
	defer cancel()

	call := func(method, path string, body []byte, contentType string, out any) error {
		req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("building the request: %w", err)
		}
		if body != nil {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", key)
		err = t.send(req, AssemblyAI, out)
		if err != nil && ctx.Err() != nil {
			return context.Cause(ctx) // the time limit or the caller's cancellation
		}
		return err
	}

	var up struct {
		UploadURL string `json:"upload_url"`
	}
	if err := call(http.MethodPost, "/v2/upload", a.data, "application/octet-stream", &up); err != nil {
		return "", fmt.Errorf("uploading: %w", err)
	}
	if up.UploadURL == "" {
		return "", errors.New("uploading: the answer has no upload_url")
	}
	submit, err := json.Marshal(map[string]any{"audio_url": up.UploadURL, "speaker_labels": false})
	if err != nil {
		return "", fmt.Errorf("encoding the transcript request: %w", err)
	}
	var tr assemblyAITranscript
	if err := call(http.MethodPost, "/v2/transcript", submit, "application/json", &tr); err != nil {
		return "", fmt.Errorf("submitting: %w", err)
	}
	if tr.ID == "" {
		return "", errors.New("submitting: the answer has no transcript id")
	}

	interval := cmp.Or(t.PollInterval, DefaultPollInterval)
	timer := time.NewTimer(interval)
	defer timer.Stop()
	for polls := 0; ; polls++ {
		switch tr.Status {
		case "completed":
			if tr.Text == nil {
				return "", nil
			}
			return *tr.Text, nil
		case "error":
			return "", fmt.Errorf("transcript %s: %s", tr.ID, cmp.Or(tr.Error, "AssemblyAI reported an error"))
		}
		if polls > 0 {
			timer.Reset(interval)
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("waiting for transcript %s: %w", tr.ID, context.Cause(ctx))
		case <-timer.C:
		}
		t.logger().DebugContext(ctx, "polling AssemblyAI", "transcript", tr.ID, "status", tr.Status)
		id := tr.ID
		tr = assemblyAITranscript{}
		if err := call(http.MethodGet, "/v2/transcript/"+url.PathEscape(id), nil, "", &tr); err != nil {
			return "", fmt.Errorf("polling transcript %s: %w", id, err)
		}
		if tr.ID == "" {
			tr.ID = id
		}
	}
}
