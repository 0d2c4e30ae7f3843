package moderation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// fakeCredentials resolves credential ids to fixed fields.
type fakeCredentials map[string]map[string]any

func (f fakeCredentials) Credential(_ context.Context, id string) (map[string]any, error) {
	if fields, ok := f[id]; ok {
		return fields, nil
	}
	return nil, fmt.Errorf("unknown credential %q", id)
}

// moderationRequest is what the fake server saw.
type moderationRequest struct {
	Method, Path, Auth, ContentType string
	Body                            map[string]any
}

// fakeOpenAI serves POST /v1/moderations in OpenAI's wire format: input
// containing "kill" is flagged for violence; input containing "500" gets a
// server error.
func fakeOpenAI(t *testing.T) (*httptest.Server, *[]moderationRequest) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen []moderationRequest
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		mu.Lock()
		seen = append(seen, moderationRequest{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), body})
		mu.Unlock()
		input, _ := body["input"].(string)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method != http.MethodPost || r.URL.Path != "/v1/moderations":
			http.NotFound(w, r)
		case r.Header.Get("Authorization") != "Bearer sk-test":
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided: sk-wrong.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`)
		case strings.Contains(input, "500"):
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}`)
		default:
			flagged := strings.Contains(input, "kill")
			fmt.Fprintf(w, `{"id":"modr-970d409ef3bef3b70c73d8232df86e7d","model":"omni-moderation-latest","results":[{"flagged":%t,`+
				`"categories":{"sexual":false,"hate":false,"harassment":false,"self-harm":false,"violence":%t,"violence/graphic":false,"illicit":false},`+
				`"category_scores":{"sexual":0.0001,"hate":0.0002,"harassment":0.001,"self-harm":0.00001,"violence":%v,"violence/graphic":0.0001,"illicit":0.00002},`+
				`"category_applied_input_types":{"violence":["text"]}}]}`, flagged, flagged, map[bool]float64{true: 0.97, false: 0.0003}[flagged])
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestOpenAIModeration(t *testing.T) {
	srv, seen := fakeOpenAI(t)
	t.Setenv("OPENAI_BASE_URL", srv.URL+"/v1/")
	rt := &node.Runtime{
		HTTPClient:  srv.Client(),
		Credentials: fakeCredentials{"good": {"openAIApiKey": "sk-test"}, "wrong": {"openAIApiKey": "sk-wrong"}},
	}
	tests := []struct {
		name       string
		credential string
		message    string
		input      string
		want       string // refusal message
		wantErr    string // other error
	}{
		{name: "allowed", credential: "good", message: `""`, input: "Hello there"},
		{name: "flagged, default message", credential: "good", message: `""`, input: "I will kill you", want: defaultOpenAIMessage},
		{name: "flagged, node message", credential: "good", message: `"Cannot Process! Input violates OpenAI's content moderation policies."`, input: "kill", want: "Cannot Process! Input violates OpenAI's content moderation policies."},
		{name: "bad key", credential: "wrong", message: `""`, input: "hi", wantErr: "status 401: Incorrect API key provided"},
		{name: "server error", credential: "good", message: `""`, input: "500", wantErr: "status 500: The server had an error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			*seen = nil
			d := dataFrom(t, `{"id":"inputModerationOpenAI_0","name":"inputModerationOpenAI","credential":"`+tc.credential+`","inputs":{"moderationErrorMessage":`+tc.message+`}}`, nil)
			inst, err := inputModerationOpenAI.Init(t.Context(), d, rt)
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			err = inst.(llm.Moderator).Check(t.Context(), tc.input)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || errors.Is(err, llm.ErrModerated) {
					t.Errorf("Check = %v, want a non-refusal error containing %q", err, tc.wantErr)
				}
			} else {
				checkRefusal(t, err, tc.want)
			}
			key := map[string]string{"good": "sk-test", "wrong": "sk-wrong"}[tc.credential]
			want := []moderationRequest{{Method: "POST", Path: "/v1/moderations", Auth: "Bearer " + key, ContentType: "application/json", Body: map[string]any{"input": tc.input}}}
			if diff := cmp.Diff(want, *seen); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenAIModerationInit(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		creds   fakeCredentials
		wantURL string
		wantErr bool
	}{
		{name: "default base URL", data: `{"id":"m","credential":"c","inputs":{}}`, creds: fakeCredentials{"c": {"openAIApiKey": "sk"}}, wantURL: "https://api.openai.com/v1/moderations"},
		{name: "key as input", data: `{"id":"m","inputs":{"openAIApiKey":"sk"}}`, wantURL: "https://api.openai.com/v1/moderations"},
		{name: "no credential", data: `{"id":"m","inputs":{}}`, wantErr: true},
		{name: "empty key", data: `{"id":"m","credential":"c","inputs":{}}`, creds: fakeCredentials{"c": {"openAIApiKey": ""}}, wantErr: true},
		{name: "unknown credential", data: `{"id":"m","credential":"x","inputs":{}}`, creds: fakeCredentials{}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("OPENAI_BASE_URL", "")
			inst, err := inputModerationOpenAI.Init(t.Context(), dataFrom(t, tc.data, nil), &node.Runtime{Credentials: tc.creds})
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init = %v, want an error", inst)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			if got := inst.(*openAIModerator).url; got != tc.wantURL {
				t.Errorf("url = %q, want %q", got, tc.wantURL)
			}
		})
	}
}

func TestOpenAIModerationBadResponses(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{name: "not JSON", body: `<html>`},
		{name: "no results", body: `{"id":"modr-1","model":"m","results":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, tc.body) }))
			defer srv.Close()
			t.Setenv("OPENAI_BASE_URL", srv.URL)
			inst, err := inputModerationOpenAI.Init(t.Context(), dataFrom(t, `{"id":"m","inputs":{"openAIApiKey":"sk"}}`, nil), &node.Runtime{HTTPClient: srv.Client()})
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			if err := inst.(llm.Moderator).Check(t.Context(), "x"); err == nil || errors.Is(err, llm.ErrModerated) {
				t.Errorf("Check = %v, want a decoding error", err)
			}
		})
	}
}
