package speechtotext

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// azureAnswer is a fast transcription answer as the Speech service sends it.
const azureAnswer = `{
  "durationMilliseconds": 2480,
  "combinedPhrases": [{"channel": 0, "text": "What is the weather in Paris?"}],
  "phrases": [{"channel": 0, "offsetMilliseconds": 80, "durationMilliseconds": 2320,
    "text": "What is the weather in Paris?", "locale": "en-US", "confidence": 0.93,
    "words": [{"text": "What", "offsetMilliseconds": 80, "durationMilliseconds": 160}]}]
}`

func TestTranscribeAzure(t *testing.T) {
	audio := Audio{Data: []byte("RIFF wav bytes"), MIME: "audio/wav", Name: "question.wav"}
	tests := []struct {
		name      string
		cfg       Config
		reply     string
		wantQuery string
		wantDef   azureDefinition
		wantText  string
	}{
		{
			name:      "Flowise defaults",
			cfg:       Config{Provider: AzureCognitive, CredentialID: "azureDef"},
			reply:     azureAnswer,
			wantQuery: "api-version=2024-05-15-preview",
			wantDef:   azureDefinition{Locales: []string{"en-US"}, ProfanityFilterMode: "Masked", Channels: []int{0, 1}},
			wantText:  "What is the weather in Paris?",
		},
		{
			name: "options and credential API version",
			cfg: Config{
				Provider: AzureCognitive, CredentialID: "azure", Language: "fr-FR",
				ProfanityFilterMode: "None", Channels: []int{0},
			},
			reply:     `{"combinedPhrases":[{"text":""},{"channel":1,"text":"Bonjour"}]}`,
			wantQuery: "api-version=2024-11-15",
			wantDef:   azureDefinition{Locales: []string{"fr-FR"}, ProfanityFilterMode: "None", Channels: []int{0}},
			wantText:  "Bonjour",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVendor(t, answer(http.StatusOK, tc.reply))
			tr := newTestTranscriber(map[string]string{"AZURE_SPEECH_BASE_URL": v.URL})
			text, err := tr.Transcribe(t.Context(), tc.cfg, audio)
			if err != nil {
				t.Fatalf("Transcribe: %v", err)
			}
			if text != tc.wantText {
				t.Errorf("text = %q, want %q", text, tc.wantText)
			}
			reqs := v.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if got.Method != http.MethodPost || got.Path != "/speechtotext/transcriptions:transcribe" || got.Query != tc.wantQuery {
				t.Errorf("request %s %s?%s, want POST /speechtotext/transcriptions:transcribe?%s", got.Method, got.Path, got.Query, tc.wantQuery)
			}
			for h, want := range map[string]string{"Ocp-Apim-Subscription-Key": "az-key", "Accept": "application/json", "Authorization": ""} {
				if v := got.Header.Get(h); v != want {
					t.Errorf("header %s = %q, want %q", h, v, want)
				}
			}
			wantFiles := map[string]filePart{"audio": {Name: "question.wav", ContentType: "audio/wav", Data: string(audio.Data)}}
			if diff := cmp.Diff(wantFiles, got.Files); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			var def azureDefinition
			if err := json.Unmarshal([]byte(got.Fields["definition"]), &def); err != nil {
				t.Fatalf("definition %q: %v", got.Fields["definition"], err)
			}
			if diff := cmp.Diff(tc.wantDef, def); diff != "" {
				t.Errorf("definition (-want +got):\n%s", diff)
			}
			if len(got.Fields) != 1 {
				t.Errorf("fields %v, want only definition", got.Fields)
			}
		})
	}
}

func TestTranscribeAzureErrors(t *testing.T) {
	audio := Audio{Data: []byte("webm"), MIME: "audio/webm"}
	tests := []struct {
		name    string
		creds   string
		status  int
		body    string
		noFake  bool // leave AZURE_SPEECH_BASE_URL unset
		want    *APIError
		wantIs  error
		wantMsg string
	}{
		{
			name:   "speech service error",
			creds:  "azure",
			status: http.StatusBadRequest,
			body:   `{"code":"InvalidArgument","message":"Locale 'xx-XX' is not supported."}`,
			want:   &APIError{Provider: AzureCognitive, StatusCode: 400, Message: "Locale 'xx-XX' is not supported."},
		},
		{
			name:   "AI services error",
			creds:  "azure",
			status: http.StatusUnauthorized,
			body:   `{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}`,
			want:   &APIError{Provider: AzureCognitive, StatusCode: 401, Message: "Access denied due to invalid subscription key or wrong API endpoint."},
		},
		{name: "no phrases", creds: "azure", status: http.StatusOK, body: `{"durationMilliseconds":0,"combinedPhrases":[],"phrases":[]}`, wantIs: ErrNoText},
		{
			name:    "no subscription key",
			creds:   "empty",
			wantMsg: "transcribing audio with azureCognitive: the credential has no azureSubscriptionKey",
		},
		{
			name:    "region that is no host name",
			creds:   "badRegion",
			noFake:  true,
			wantMsg: `transcribing audio with azureCognitive: the credential's serviceRegion "evil.example/x" is not a region name`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVendor(t, answer(tc.status, tc.body))
			env := map[string]string{"AZURE_SPEECH_BASE_URL": v.URL}
			if tc.noFake {
				env = nil
			}
			tr := newTestTranscriber(env)
			tr.creds = fakeCreds{
				"azure":     testCreds["azure"],
				"empty":     {},
				"badRegion": {"azureSubscriptionKey": "k", "serviceRegion": "evil.example/x"},
			}
			_, err := tr.Transcribe(t.Context(), Config{Provider: AzureCognitive, CredentialID: tc.creds}, audio)
			if err == nil {
				t.Fatal("Transcribe succeeded, want an error")
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

func TestAzureDefaultURL(t *testing.T) {
	// With no override, the request goes to the region's host, which a
	// transport that refuses every request records.
	var gotURL string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		gotURL = r.URL.String()
		return nil, errors.New("offline")
	})}
	tr := New(hc, testCreds)
	tr.Getenv = func(string) string { return "" }
	_, err := tr.Transcribe(t.Context(), Config{Provider: AzureCognitive, CredentialID: "azure"}, Audio{Data: []byte("x"), MIME: "audio/webm"})
	if err == nil {
		t.Fatal("Transcribe succeeded, want the transport's error")
	}
	if want := "https://eastus.cognitiveservices.azure.com/speechtotext/transcriptions:transcribe?api-version=2024-11-15"; gotURL != want {
		t.Errorf("URL = %q, want %q", gotURL, want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
