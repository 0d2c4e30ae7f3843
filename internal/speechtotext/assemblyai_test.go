package speechtotext

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeAssemblyAI answers AssemblyAI's upload, submit and get-transcript
// calls. The transcript's status follows polls: the submit answer has the
// first status, each GET the next (the last one repeats).
type fakeAssemblyAI struct {
	polls      []string // statuses, in order
	text       string   // the completed transcript's text
	errMsg     string   // the error status's message
	uploadFail string   // a non-empty value is the upload's 401 error body

	mu sync.Mutex // guards n
	n  int
}

func (f *fakeAssemblyAI) reply(w http.ResponseWriter, r *http.Request, got received) {
	w.Header().Set("Content-Type", "application/json")
	if got.Header.Get("Authorization") != "aai-key" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"Authentication error, API token missing/invalid"}`)
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v2/upload":
		if f.uploadFail != "" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, f.uploadFail)
			return
		}
		_, _ = io.WriteString(w, `{"upload_url":"https://cdn.assemblyai.com/upload/7c4b0a5e"}`)
	case r.Method == http.MethodPost && r.URL.Path == "/v2/transcript":
		_, _ = io.WriteString(w, f.transcript(0))
	case r.Method == http.MethodGet && r.URL.Path == "/v2/transcript/tr_5xq1":
		f.mu.Lock()
		f.n++
		n := f.n
		f.mu.Unlock()
		_, _ = io.WriteString(w, f.transcript(n))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"Not found"}`)
	}
}

// transcript returns the transcript object at poll i.
func (f *fakeAssemblyAI) transcript(i int) string {
	status := f.polls[min(i, len(f.polls)-1)]
	tr := map[string]any{
		"id": "tr_5xq1", "status": status, "audio_url": "https://cdn.assemblyai.com/upload/7c4b0a5e",
		"text": nil, "words": nil, "speaker_labels": false, "language_code": "en_us",
	}
	switch status {
	case "completed":
		tr["text"] = f.text
	case "error":
		tr["error"] = f.errMsg
	}
	b, _ := json.Marshal(tr)
	return string(b)
}

func TestTranscribeAssemblyAI(t *testing.T) {
	audio := Audio{Data: []byte("\x1aE\xdf\xa3 webm bytes"), MIME: "audio/webm", Name: "audio_1.webm"}
	tests := []struct {
		name      string
		fake      *fakeAssemblyAI
		creds     string
		timeout   time.Duration
		want      string
		wantPolls int       // GET requests expected
		wantAPI   *APIError // the error is this APIError
		wantIs    error
		wantMsg   string
	}{
		{
			name:      "completed after polling",
			fake:      &fakeAssemblyAI{polls: []string{"queued", "processing", "completed"}, text: "Summarise my notes."},
			creds:     "assembly",
			want:      "Summarise my notes.",
			wantPolls: 2,
		},
		{
			name:      "transcription error",
			fake:      &fakeAssemblyAI{polls: []string{"queued", "error"}, errMsg: "Transcoding failed. File does not appear to contain audio."},
			creds:     "assembly",
			wantPolls: 1,
			wantMsg:   "transcribing audio with assemblyAiTranscribe: transcript tr_5xq1: Transcoding failed. File does not appear to contain audio.",
		},
		{
			name:      "completed without text",
			fake:      &fakeAssemblyAI{polls: []string{"processing", "completed"}},
			creds:     "assembly",
			wantPolls: 1,
			wantIs:    ErrNoText,
		},
		{
			name:    "upload refused",
			fake:    &fakeAssemblyAI{polls: []string{"queued"}, uploadFail: `{"error":"Your account has been disabled"}`},
			creds:   "assembly",
			wantAPI: &APIError{Provider: AssemblyAI, StatusCode: 401, Message: "Your account has been disabled"},
			wantMsg: "transcribing audio with assemblyAiTranscribe: uploading: HTTP 401 Unauthorized: Your account has been disabled",
		},
		{
			name:    "no API key",
			fake:    &fakeAssemblyAI{polls: []string{"queued"}},
			creds:   "empty",
			wantMsg: "transcribing audio with assemblyAiTranscribe: the credential has no assemblyAIApiKey",
		},
		{
			name:    "time limit",
			fake:    &fakeAssemblyAI{polls: []string{"processing"}},
			creds:   "assembly",
			timeout: 30 * time.Millisecond,
			wantIs:  context.DeadlineExceeded,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVendor(t, tc.fake.reply)
			tr := newTestTranscriber(map[string]string{"ASSEMBLYAI_BASE_URL": v.URL + "/"})
			tr.PollTimeout = tc.timeout
			text, err := tr.Transcribe(t.Context(), Config{Provider: AssemblyAI, CredentialID: tc.creds}, audio)
			wantErr := tc.wantAPI != nil || tc.wantIs != nil || tc.wantMsg != ""
			if !wantErr {
				if err != nil {
					t.Fatalf("Transcribe: %v", err)
				}
				if text != tc.want {
					t.Errorf("text = %q, want %q", text, tc.want)
				}
			} else {
				if err == nil {
					t.Fatalf("Transcribe = %q, nil; want an error", text)
				}
				if apiErr, ok := errors.AsType[*APIError](err); tc.wantAPI != nil && (!ok || !cmp.Equal(tc.wantAPI, apiErr)) {
					t.Errorf("error %v, want APIError %+v", err, tc.wantAPI)
				}
				if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
					t.Errorf("error %v, want one wrapping %v", err, tc.wantIs)
				}
				if tc.wantMsg != "" && err.Error() != tc.wantMsg {
					t.Errorf("error = %q, want %q", err, tc.wantMsg)
				}
			}
			if tc.creds == "empty" || tc.timeout != 0 {
				return
			}
			checkAssemblyAIFlow(t, v.requests(), audio, tc.fake.uploadFail != "", tc.wantPolls)
		})
	}
}

// checkAssemblyAIFlow checks the upload, the submit and the polls.
func checkAssemblyAIFlow(t *testing.T, reqs []received, audio Audio, uploadOnly bool, polls int) {
	t.Helper()
	var calls []string
	for _, r := range reqs {
		calls = append(calls, r.Method+" "+r.Path)
		if auth := r.Header.Get("Authorization"); auth != "aai-key" {
			t.Errorf("%s %s: Authorization = %q, want the bare key", r.Method, r.Path, auth)
		}
	}
	want := []string{"POST /v2/upload"}
	if !uploadOnly {
		want = append(want, "POST /v2/transcript")
		for range polls {
			want = append(want, "GET /v2/transcript/tr_5xq1")
		}
	}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	up := reqs[0]
	if ct := up.Header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("upload Content-Type = %q, want application/octet-stream", ct)
	}
	if string(up.Body) != string(audio.Data) {
		t.Errorf("uploaded %q, want %q", up.Body, audio.Data)
	}
	if uploadOnly {
		return
	}
	var submit map[string]any
	if err := json.Unmarshal(reqs[1].Body, &submit); err != nil {
		t.Fatalf("submit body %q: %v", reqs[1].Body, err)
	}
	wantSubmit := map[string]any{"audio_url": "https://cdn.assemblyai.com/upload/7c4b0a5e", "speaker_labels": false}
	if diff := cmp.Diff(wantSubmit, submit); diff != "" {
		t.Errorf("submit body (-want +got):\n%s", diff)
	}
	if ct := reqs[1].Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("submit Content-Type = %q, want application/json", ct)
	}
}

func TestAssemblyAIPollInterval(t *testing.T) {
	fake := fakeAssemblyAI{polls: []string{"queued", "processing", "completed"}, text: "ok"}
	v := fakeVendor(t, fake.reply)
	tr := newTestTranscriber(map[string]string{"ASSEMBLYAI_BASE_URL": v.URL})
	tr.PollInterval = 20 * time.Millisecond
	start := time.Now()
	if _, err := tr.Transcribe(t.Context(), Config{Provider: AssemblyAI, CredentialID: "assembly"}, Audio{Data: []byte("x"), MIME: "audio/webm"}); err != nil {
		t.Fatalf("Transcribe: %v", err)
	}
	if got, want := time.Since(start), 2*tr.PollInterval; got < want {
		t.Errorf("two polls took %v, want at least %v", got, want)
	}
}
