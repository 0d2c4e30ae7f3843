package embeddings

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/floehq/floe/internal/node"
)

// vendorCase points one node at the fake, through its input where Flowise
// has one and through env otherwise, and gives the vendor's real error
// answer for a bad key.
type vendorCase struct {
	def    node.Definition
	data   string
	env    map[string]string
	creds  map[string]any
	vendor string // as errors name it
	// status and body are the vendor's error answer; message is the part
	// of it the error must repeat.
	status        int
	body, message string
}

// openAIError is the OpenAI API's answer to a bad key.
const openAIError = `{"error":{"message":"Incorrect API key provided: sk-bad.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`

var vendorCases = []vendorCase{
	{
		def: openAIEmbeddings, data: `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"basepath":"{{URL}}"}}`,
		vendor: "openai", status: 401, body: openAIError, message: "Incorrect API key provided",
	},
	{
		def: openAIEmbeddingsCustom, data: `{"id":"openAIEmbeddingsCustom_0","name":"openAIEmbeddingsCustom","inputs":{"basepath":"{{URL}}"}}`,
		vendor: "openai", status: 401, body: openAIError, message: "Incorrect API key provided",
	},
	{
		def:    azureOpenAIEmbeddings,
		data:   `{"id":"azureOpenAIEmbeddings_0","name":"azureOpenAIEmbeddings","credential":"cred-1","inputs":{"batchSize":"100","basepath":"{{URL}}"}}`,
		creds:  map[string]any{"azureOpenAIApiKey": "k", "azureOpenAIApiDeploymentName": "d", "azureOpenAIApiVersion": "v"},
		vendor: "azure openai", status: 404,
		body:    `{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}`,
		message: "The API deployment for this resource does not exist.",
	},
	{
		def: localAIEmbeddings, data: `{"id":"localAIEmbeddings_0","name":"localAIEmbeddings","inputs":{"basePath":"{{URL}}"}}`,
		vendor: "localai", status: 500, body: `{"error":{"code":500,"message":"could not load model","type":""}}`, message: "could not load model",
	},
	{
		def: ollamaEmbedding, data: `{"id":"ollamaEmbedding_0","name":"ollamaEmbedding","inputs":{"baseUrl":"{{URL}}","modelName":"nomic"}}`,
		vendor: "ollama", status: 404, body: `{"error":"model \"nomic\" not found, try pulling it first"}`, message: `model "nomic" not found`,
	},
	{
		def:    googleGenerativeAiEmbeddings,
		data:   `{"id":"googleGenerativeAiEmbeddings_0","name":"googleGenerativeAiEmbeddings","inputs":{"googleGenerativeAPIKey":"k"}}`,
		env:    map[string]string{"GOOGLE_GEMINI_BASE_URL": "{{URL}}"},
		vendor: "gemini", status: 400,
		body:    `{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}`,
		message: "API key not valid",
	},
	{
		def: cohereEmbeddings, data: `{"id":"cohereEmbeddings_0","name":"cohereEmbeddings","inputs":{}}`, env: map[string]string{"COHERE_BASE_URL": "{{URL}}"},
		vendor: "cohere", status: 401, body: `{"id":"x","message":"invalid api token"}`, message: "invalid api token",
	},
	{
		def: mistralAIEmbeddings, data: `{"id":"mistralAIEmbeddings_0","name":"mistralAIEmbeddings","inputs":{"overrideEndpoint":"{{URL}}"}}`,
		vendor: "mistral", status: 401, body: `{"message":"Unauthorized","request_id":"r1"}`, message: "Unauthorized",
	},
	{
		def: voyageAIEmbeddings, data: `{"id":"voyageAIEmbeddings_0","name":"voyageAIEmbeddings","inputs":{}}`, env: map[string]string{"VOYAGE_BASE_URL": "{{URL}}"},
		vendor: "voyage ai", status: 401, body: `{"detail":"Provided API key is invalid."}`, message: "Provided API key is invalid.",
	},
	{
		def: togetherAIEmbedding, data: `{"id":"togetherAIEmbedding_0","name":"togetherAIEmbedding","inputs":{}}`, env: map[string]string{"TOGETHER_BASE_URL": "{{URL}}"},
		vendor: "together ai", status: 400,
		body:    `{"id":"x","error":{"message":"Input validation error: inputs cannot be empty","type":"invalid_request_error","code":null}}`,
		message: "inputs cannot be empty",
	},
}

func TestVendorErrors(t *testing.T) {
	for _, tc := range vendorCases {
		t.Run(tc.def.Spec.Name, func(t *testing.T) {
			f := newFake(t)
			f.failStatus, f.failBody = tc.status, tc.body
			setEnv(t, withURL(tc.env, f.URL))
			e := newEmbedder(t, tc.def, tc.data, f.URL, tc.creds, f.Client())
			got, err := e.Embed(t.Context(), sample)
			if err == nil {
				t.Fatalf("Embed = %d vectors, want an error", len(got))
			}
			if got != nil {
				t.Errorf("Embed returned %d vectors with the error, want none", len(got))
			}
			for _, w := range []string{tc.def.Spec.Name + ": calling " + tc.vendor + ": ", strconv.Itoa(tc.status), tc.message} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestProviderFailStatus checks the shared fake's generic failure through
// one node of each client library.
func TestProviderFailStatus(t *testing.T) {
	for _, tc := range vendorCases {
		t.Run(tc.def.Spec.Name, func(t *testing.T) {
			f := newFake(t)
			f.provider.FailStatus = http.StatusUnauthorized
			setEnv(t, withURL(tc.env, f.URL))
			e := newEmbedder(t, tc.def, tc.data, f.URL, tc.creds, f.Client())
			if _, err := e.Embed(t.Context(), sample); err == nil || !strings.Contains(err.Error(), tc.def.Spec.Name+": calling "+tc.vendor) {
				t.Errorf("Embed error = %v, want one naming the node and %s", err, tc.vendor)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	for _, tc := range vendorCases {
		t.Run(tc.def.Spec.Name, func(t *testing.T) {
			f := newFake(t)
			f.hold = true
			setEnv(t, withURL(tc.env, f.URL))
			e := newEmbedder(t, tc.def, tc.data, f.URL, tc.creds, f.Client())
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var err error
			returned := make(chan struct{})
			go func() {
				defer close(returned)
				_, err = e.Embed(ctx, numbered(12))
			}()
			select {
			case <-f.arrived:
			case <-time.After(2 * time.Second):
				t.Fatalf("no request reached the fake")
			}
			cancelled := time.Now()
			cancel()
			select {
			case <-returned:
			case <-time.After(2 * time.Second):
				t.Fatalf("Embed did not return after the context was cancelled")
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Embed error = %v, want context.Canceled", err)
			}
			select {
			case done := <-f.done:
				if d := done.Sub(cancelled); d > 100*time.Millisecond {
					t.Errorf("the fake saw the cancellation after %v, want under 100ms", d)
				}
			case <-time.After(time.Second):
				t.Errorf("the fake's request context is not done after cancel")
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	f := newFake(t)
	f.hold = true
	setEnv(t, nil)
	e := newEmbedder(t, openAIEmbeddings, `{"id":"openAIEmbeddings_0","name":"openAIEmbeddings","inputs":{"basepath":"{{URL}}","timeout":"50"}}`, f.URL, nil, f.Client())
	_, err := e.Embed(t.Context(), sample)
	if err == nil || !strings.Contains(err.Error(), "openAIEmbeddings: calling openai: timed out after 50ms") {
		t.Errorf("Embed error = %v, want a timeout after 50ms", err)
	}
}
