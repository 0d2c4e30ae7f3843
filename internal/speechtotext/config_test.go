package speechtotext

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name        string
		raw         string
		want        Config
		wantEnabled bool
		wantErr     error // matched with errors.Is when set
		wantAnyErr  bool
	}{
		{name: "empty", raw: ""},
		{name: "blank", raw: "  \n"},
		{name: "null", raw: "null"},
		{name: "empty object", raw: "{}"},
		{
			name: "none selected",
			raw:  `{"none":{"status":true},"openAIWhisper":{"status":false,"credentialId":"c1"}}`,
		},
		{
			name: "all off",
			raw:  `{"openAIWhisper":{"status":false},"assemblyAiTranscribe":{"status":false}}`,
		},
		{
			name: "openAI whisper as the UI saves it",
			raw: `{"openAIWhisper":{"status":true,"credentialId":"c1","language":"en","prompt":"Floe","temperature":"0"},
			       "assemblyAiTranscribe":{"status":false,"credentialId":"c2"}}`,
			want:        Config{Provider: OpenAIWhisper, CredentialID: "c1", Language: "en", Prompt: "Floe", Temperature: ptr(0.0)},
			wantEnabled: true,
		},
		{
			name:        "status as a string",
			raw:         `{"assemblyAiTranscribe":{"status":"true","credentialId":"c2"}}`,
			want:        Config{Provider: AssemblyAI, CredentialID: "c2"},
			wantEnabled: true,
		},
		{
			name: "string false is off",
			raw:  `{"assemblyAiTranscribe":{"status":"false","credentialId":"c2"}}`,
		},
		{
			name:        "first enabled in document order wins",
			raw:         `{"groqWhisper":{"status":true,"model":"whisper-large-v3-turbo","temperature":0.4},"openAIWhisper":{"status":true}}`,
			want:        Config{Provider: GroqWhisper, Model: "whisper-large-v3-turbo", Temperature: ptr(0.4)},
			wantEnabled: true,
		},
		{
			name:        "localAI options",
			raw:         `{"localAISTT":{"status":true,"credentialId":"c3","baseUrl":"http://localhost:8080/v1","model":"whisper-base","temperature":""}}`,
			want:        Config{Provider: LocalAI, CredentialID: "c3", BaseURL: "http://localhost:8080/v1", Model: "whisper-base"},
			wantEnabled: true,
		},
		{
			name: "azure options",
			raw:  `{"azureCognitive":{"status":true,"credentialId":"c4","language":"de-DE","profanityFilterMode":"Removed","channels":"0, 1"}}`,
			want: Config{
				Provider: AzureCognitive, CredentialID: "c4", Language: "de-DE",
				ProfanityFilterMode: "Removed", Channels: []int{0, 1},
			},
			wantEnabled: true,
		},
		{
			name:        "disabled unknown providers are ignored",
			raw:         `{"someFutureProvider":{"status":false},"openAIWhisper":{"status":true,"credentialId":"c1"}}`,
			want:        Config{Provider: OpenAIWhisper, CredentialID: "c1"},
			wantEnabled: true,
		},
		{
			name:        "non-object entries are skipped",
			raw:         `{"none":null,"openAIWhisper":{"status":true}}`,
			want:        Config{Provider: OpenAIWhisper},
			wantEnabled: true,
		},
		{name: "unknown provider", raw: `{"deepgram":{"status":true}}`, wantErr: ErrUnknownProvider},
		{name: "aws transcribe", raw: `{"awsTranscribe":{"status":true,"s3BucketName":"b"}}`, wantErr: ErrUnknownProvider},
		{name: "bad temperature", raw: `{"openAIWhisper":{"status":true,"temperature":"warm"}}`, wantAnyErr: true},
		{name: "bad channels", raw: `{"azureCognitive":{"status":true,"channels":"left,right"}}`, wantAnyErr: true},
		{name: "not JSON", raw: `openAIWhisper`, wantAnyErr: true},
		{name: "not an object", raw: `["openAIWhisper"]`, wantAnyErr: true},
		{name: "trailing data", raw: `{} {}`, wantAnyErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, enabled, err := ParseConfig(tc.raw)
			if tc.wantErr != nil || tc.wantAnyErr {
				if err == nil {
					t.Fatalf("ParseConfig(%q) = %+v, %v, nil; want an error", tc.raw, got, enabled)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Errorf("error %v, want one wrapping %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseConfig(%q): %v", tc.raw, err)
			}
			if enabled != tc.wantEnabled {
				t.Errorf("enabled = %v, want %v", enabled, tc.wantEnabled)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}
