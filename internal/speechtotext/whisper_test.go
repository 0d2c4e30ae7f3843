package speechtotext

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTranscribeWhisper(t *testing.T) {
	audio := Audio{Data: []byte("OggS fake opus bytes"), MIME: "audio/ogg;codecs=opus", Name: "audio_1700000000.ogg"}
	tests := []struct {
		name       string
		env        string // the base-URL variable pointed at the fake
		baseOption bool   // point cfg.BaseURL at the fake instead
		cfg        Config
		wantAuth   string
		wantFields map[string]string
	}{
		{
			name:     "openAI whisper",
			env:      "OPENAI_BASE_URL",
			cfg:      Config{Provider: OpenAIWhisper, CredentialID: "openai", Language: "en", Prompt: "Floe, Flowise", Temperature: ptr(0.2), Model: "ignored"},
			wantAuth: "Bearer sk-openai",
			wantFields: map[string]string{
				"model": "whisper-1", "language": "en", "prompt": "Floe, Flowise", "temperature": "0.2", "response_format": "json",
			},
		},
		{
			name:       "openAI whisper, temperature zero is sent",
			env:        "OPENAI_BASE_URL",
			cfg:        Config{Provider: OpenAIWhisper, CredentialID: "openai", Temperature: ptr(0.0)},
			wantAuth:   "Bearer sk-openai",
			wantFields: map[string]string{"model": "whisper-1", "temperature": "0", "response_format": "json"},
		},
		{
			name:       "groq default model",
			env:        "GROQ_BASE_URL",
			cfg:        Config{Provider: GroqWhisper, CredentialID: "groq", Language: "fr"},
			wantAuth:   "Bearer gsk-groq",
			wantFields: map[string]string{"model": "whisper-large-v3", "language": "fr", "response_format": "json"},
		},
		{
			name:       "groq chosen model",
			env:        "GROQ_BASE_URL",
			cfg:        Config{Provider: GroqWhisper, CredentialID: "groq", Model: "whisper-large-v3-turbo"},
			wantAuth:   "Bearer gsk-groq",
			wantFields: map[string]string{"model": "whisper-large-v3-turbo", "response_format": "json"},
		},
		{
			name:       "localAI base URL option and key",
			baseOption: true,
			cfg:        Config{Provider: LocalAI, CredentialID: "localai", Model: "whisper-base", Temperature: ptr(1.0)},
			wantAuth:   "Bearer local-key",
			wantFields: map[string]string{"model": "whisper-base", "temperature": "1", "response_format": "json"},
		},
		{
			name:       "localAI from env without a key",
			env:        "LOCALAI_BASE_URL",
			cfg:        Config{Provider: LocalAI},
			wantFields: map[string]string{"model": "whisper-1", "response_format": "json"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVendor(t, answer(http.StatusOK, `{"text":" Hello from the recording. "}`))
			env := map[string]string{}
			if tc.baseOption {
				tc.cfg.BaseURL = v.URL + "/v1/"
			} else {
				env[tc.env] = v.URL + "/v1"
			}
			text, err := newTestTranscriber(env).Transcribe(t.Context(), tc.cfg, audio)
			if err != nil {
				t.Fatalf("Transcribe: %v", err)
			}
			if want := "Hello from the recording."; text != want {
				t.Errorf("text = %q, want %q", text, want)
			}
			reqs := v.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if got.Method != http.MethodPost || got.Path != "/v1/audio/transcriptions" {
				t.Errorf("request %s %s, want POST /v1/audio/transcriptions", got.Method, got.Path)
			}
			if auth := got.Header.Get("Authorization"); auth != tc.wantAuth {
				t.Errorf("Authorization = %q, want %q", auth, tc.wantAuth)
			}
			if diff := cmp.Diff(tc.wantFields, got.Fields); diff != "" {
				t.Errorf("form fields (-want +got):\n%s", diff)
			}
			wantFiles := map[string]filePart{"file": {Name: "audio_1700000000.ogg", ContentType: "audio/ogg", Data: string(audio.Data)}}
			if diff := cmp.Diff(wantFiles, got.Files); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTranscribeWhisperErrors(t *testing.T) {
	audio := Audio{Data: []byte("webm"), MIME: "audio/webm"}
	tests := []struct {
		name    string
		status  int
		body    string
		want    *APIError // nil: not an APIError
		wantIs  error
		wantMsg string
	}{
		{
			name:    "openAI error body",
			status:  http.StatusUnauthorized,
			body:    `{"error":{"message":"Incorrect API key provided: sk-o***","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
			want:    &APIError{Provider: OpenAIWhisper, StatusCode: 401, Message: "Incorrect API key provided: sk-o***"},
			wantMsg: "transcribing audio with openAIWhisper: HTTP 401 Unauthorized: Incorrect API key provided: sk-o***",
		},
		{
			name:   "plain text body",
			status: http.StatusBadGateway,
			body:   "upstream unavailable\n",
			want:   &APIError{Provider: OpenAIWhisper, StatusCode: 502, Message: "upstream unavailable"},
		},
		{
			name:   "empty body",
			status: http.StatusTooManyRequests,
			want:   &APIError{Provider: OpenAIWhisper, StatusCode: 429, Message: "(empty body)"},
		},
		{
			name:    "empty transcript",
			status:  http.StatusOK,
			body:    `{"text":"  "}`,
			wantIs:  ErrNoText,
			wantMsg: "transcribing audio with openAIWhisper: speech to text returned no text",
		},
		{name: "missing text", status: http.StatusOK, body: `{}`, wantIs: ErrNoText},
		{name: "not JSON", status: http.StatusOK, body: `Hello`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVendor(t, answer(tc.status, tc.body))
			tr := newTestTranscriber(map[string]string{"OPENAI_BASE_URL": v.URL})
			text, err := tr.Transcribe(t.Context(), Config{Provider: OpenAIWhisper, CredentialID: "openai"}, audio)
			if err == nil {
				t.Fatalf("Transcribe = %q, nil; want an error", text)
			}
			if text != "" {
				t.Errorf("text = %q with an error, want empty", text)
			}
			if tc.want != nil {
				apiErr, ok := errors.AsType[*APIError](err)
				if !ok {
					t.Fatalf("error %v is not an *APIError", err)
				}
				if diff := cmp.Diff(tc.want, apiErr); diff != "" {
					t.Errorf("APIError (-want +got):\n%s", diff)
				}
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v, want one wrapping %v", err, tc.wantIs)
			}
			if tc.wantMsg != "" && err.Error() != tc.wantMsg {
				t.Errorf("error = %q, want %q", err, tc.wantMsg)
			}
		})
	}
}
