package speechtotext

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestAudioFile(t *testing.T) {
	tests := []struct {
		name, mime, file string
		wantMIME         string
		wantName         string
		wantErr          bool
	}{
		{name: "webm with codec", mime: "audio/webm;codecs=opus", file: "audio_1.webm", wantMIME: "audio/webm", wantName: "audio_1.webm"},
		{name: "mp4 gets m4a", mime: "audio/mp4", file: "audio_1.webm", wantMIME: "audio/mp4", wantName: "audio_1.m4a"},
		{name: "mp4 keeps mp4", mime: "audio/mp4", file: "clip.MP4", wantMIME: "audio/mp4", wantName: "clip.mp4"},
		{name: "x-m4a alias", mime: "audio/x-m4a", file: "memo", wantMIME: "audio/mp4", wantName: "memo.m4a"},
		{name: "ogg", mime: "audio/ogg", file: "a.oga", wantMIME: "audio/ogg", wantName: "a.ogg"},
		{name: "wav", mime: "audio/wav", file: "q.wav", wantMIME: "audio/wav", wantName: "q.wav"},
		{name: "x-wav alias", mime: "audio/x-wav", file: "q.wave", wantMIME: "audio/wav", wantName: "q.wav"},
		{name: "mpeg gets mp3", mime: "audio/mpeg", file: "song.bin", wantMIME: "audio/mpeg", wantName: "song.mp3"},
		{name: "mpga kept", mime: "audio/mpeg", file: "song.mpga", wantMIME: "audio/mpeg", wantName: "song.mpga"},
		{name: "no name", mime: "audio/webm", wantMIME: "audio/webm", wantName: "audio.webm"},
		{name: "path stripped", mime: "audio/ogg", file: `..\..\dir/x.ogg`, wantMIME: "audio/ogg", wantName: "x.ogg"},
		{name: "control characters", mime: "audio/ogg", file: "a\r\nb.ogg", wantMIME: "audio/ogg", wantName: "a__b.ogg"},
		{name: "no MIME, known extension", file: "take2.mp3", wantMIME: "audio/mpeg", wantName: "take2.mp3"},
		{name: "no MIME, no extension", file: "take2", wantErr: true},
		{name: "not audio", mime: "image/png", file: "x.png", wantErr: true},
		{name: "unsupported audio", mime: "audio/flac", file: "x.flac", wantErr: true},
		{name: "malformed MIME", mime: "audio/", file: "x.webm", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := newAudioFile(Audio{Data: []byte("x"), MIME: tc.mime, Name: tc.file})
			if tc.wantErr {
				if !errors.Is(err, ErrUnsupportedAudio) {
					t.Errorf("error %v, want ErrUnsupportedAudio", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("newAudioFile: %v", err)
			}
			if got.mime != tc.wantMIME || got.name != tc.wantName {
				t.Errorf("got %s %q, want %s %q", got.mime, got.name, tc.wantMIME, tc.wantName)
			}
		})
	}
}

func TestTranscribeRefuses(t *testing.T) {
	v := fakeVendor(t, answer(http.StatusOK, `{"text":"never"}`))
	env := map[string]string{"OPENAI_BASE_URL": v.URL}
	webm := Audio{Data: []byte("x"), MIME: "audio/webm"}
	tests := []struct {
		name    string
		creds   Credentials
		cfg     Config
		audio   Audio
		wantIs  error
		wantMsg string
	}{
		{
			name:    "unsupported audio",
			creds:   testCreds,
			cfg:     Config{Provider: OpenAIWhisper, CredentialID: "openai"},
			audio:   Audio{Data: []byte("x"), MIME: "video/quicktime", Name: "x.mov"},
			wantIs:  ErrUnsupportedAudio,
			wantMsg: `transcribing audio with openAIWhisper: speechtotext: unsupported audio type "video/quicktime" (want audio/webm, audio/mp4, audio/ogg, audio/wav or audio/mpeg)`,
		},
		{
			name:    "empty audio",
			creds:   testCreds,
			cfg:     Config{Provider: OpenAIWhisper, CredentialID: "openai"},
			audio:   Audio{MIME: "audio/webm"},
			wantMsg: "transcribing audio with openAIWhisper: the audio is empty",
		},
		{
			name:    "unknown credential",
			creds:   testCreds,
			cfg:     Config{Provider: OpenAIWhisper, CredentialID: "missing"},
			audio:   webm,
			wantMsg: `transcribing audio with openAIWhisper: reading credential "missing": credential "missing" not found`,
		},
		{
			name:    "no credential store",
			cfg:     Config{Provider: GroqWhisper, CredentialID: "groq"},
			audio:   webm,
			wantMsg: `transcribing audio with groqWhisper: reading credential "groq": no credential store`,
		},
		{
			name:    "no API key",
			creds:   testCreds,
			cfg:     Config{Provider: OpenAIWhisper},
			audio:   webm,
			wantMsg: "transcribing audio with openAIWhisper: the credential has no openAIApiKey",
		},
		{
			name:   "unknown provider",
			creds:  testCreds,
			cfg:    Config{Provider: "deepgram"},
			audio:  webm,
			wantIs: ErrUnknownProvider,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(nil, tc.creds)
			tr.Getenv = func(k string) string { return env[k] }
			text, err := tr.Transcribe(t.Context(), tc.cfg, tc.audio)
			if err == nil {
				t.Fatalf("Transcribe = %q, nil; want an error", text)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v, want one wrapping %v", err, tc.wantIs)
			}
			if tc.wantMsg != "" && err.Error() != tc.wantMsg {
				t.Errorf("error = %q, want %q", err, tc.wantMsg)
			}
		})
	}
	if n := len(v.requests()); n != 0 {
		t.Errorf("the vendor got %d requests, want none", n)
	}
}

func TestTranscribeCancel(t *testing.T) {
	audio := Audio{Data: []byte("x"), MIME: "audio/webm"}
	tests := []struct {
		name string
		cfg  Config
		env  string
		// block reports whether the fake holds the request r open.
		block func(r *http.Request) bool
	}{
		{
			name:  "openAI request in flight",
			cfg:   Config{Provider: OpenAIWhisper, CredentialID: "openai"},
			env:   "OPENAI_BASE_URL",
			block: func(*http.Request) bool { return true },
		},
		{
			name:  "azure request in flight",
			cfg:   Config{Provider: AzureCognitive, CredentialID: "azure"},
			env:   "AZURE_SPEECH_BASE_URL",
			block: func(*http.Request) bool { return true },
		},
		{
			name:  "assemblyAI while polling",
			cfg:   Config{Provider: AssemblyAI, CredentialID: "assembly"},
			env:   "ASSEMBLYAI_BASE_URL",
			block: func(*http.Request) bool { return false },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			arrived := make(chan struct{}, 16)
			fake := fakeAssemblyAI{polls: []string{"processing"}}
			v := fakeVendor(t, func(w http.ResponseWriter, r *http.Request, got received) {
				arrived <- struct{}{}
				if tc.block(r) {
					<-r.Context().Done()
					return
				}
				fake.reply(w, r, got)
			})
			tr := newTestTranscriber(map[string]string{tc.env: v.URL})
			tr.PollInterval = 5 * time.Millisecond
			go func() {
				<-arrived
				if tc.cfg.Provider == AssemblyAI {
					<-arrived // the submit; cancel while polling
					<-arrived
				}
				cancel()
			}()
			done := make(chan error, 1)
			go func() {
				_, err := tr.Transcribe(ctx, tc.cfg, audio)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Transcribe did not return after cancellation")
			}
		})
	}
}
