package speechtotext

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeCreds is a credential store keyed by id.
type fakeCreds map[string]map[string]any

func (f fakeCreds) Credential(_ context.Context, id string) (map[string]any, error) {
	c, ok := f[id]
	if !ok {
		return nil, fmt.Errorf("credential %q not found", id)
	}
	return c, nil
}

// testCreds holds one credential per provider, under the provider's name.
var testCreds = fakeCreds{
	"openai":   {"openAIApiKey": "sk-openai"},
	"groq":     {"groqApiKey": "gsk-groq"},
	"localai":  {"localAIApiKey": "local-key"},
	"azure":    {"azureSubscriptionKey": "az-key", "serviceRegion": "eastus", "apiVersion": "2024-11-15"},
	"azureDef": {"azureSubscriptionKey": "az-key", "serviceRegion": "eastus"},
	"assembly": {"assemblyAIApiKey": "aai-key"},
	"empty":    {},
}

// newTestTranscriber returns a Transcriber whose base-URL environment is
// env, with fast AssemblyAI polling.
func newTestTranscriber(env map[string]string) *Transcriber {
	tr := New(http.DefaultClient, testCreds)
	tr.Getenv = func(k string) string { return env[k] }
	tr.PollInterval = time.Millisecond
	return tr
}

// received is what a fake vendor saw of one request.
type received struct {
	Method, Path, Query string
	Header              http.Header
	Fields              map[string]string
	Files               map[string]filePart
	Body                []byte // non-multipart bodies
}

// filePart is one file of a multipart body.
type filePart struct {
	Name, ContentType string
	Data              string
}

// record reads r into a received, parsing a multipart body.
func record(t *testing.T, r *http.Request) received {
	t.Helper()
	got := received{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request body: %v", err)
		}
		got.Body = b
		return got
	}
	got.Fields, got.Files = map[string]string{}, map[string]filePart{}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Errorf("reading a multipart part: %v", err)
			return got
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Errorf("reading part %q: %v", p.FormName(), err)
		}
		if p.FileName() != "" {
			got.Files[p.FormName()] = filePart{Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: string(b)}
		} else {
			got.Fields[p.FormName()] = string(b)
		}
	}
}

// vendor is a fake vendor API: an httptest server that records each
// request and answers with reply.
type vendor struct {
	*httptest.Server

	mu   sync.Mutex // guards reqs
	reqs []received
}

func fakeVendor(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, got received)) *vendor {
	t.Helper()
	v := &vendor{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := record(t, r)
		v.mu.Lock()
		v.reqs = append(v.reqs, got)
		v.mu.Unlock()
		reply(w, r, got)
	}))
	t.Cleanup(v.Close)
	return v
}

// requests returns the requests received so far.
func (v *vendor) requests() []received {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]received(nil), v.reqs...)
}

// answer writes a JSON body with a status.
func answer(status int, body string) func(http.ResponseWriter, *http.Request, received) {
	return func(w http.ResponseWriter, _ *http.Request, _ received) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func ptr[T any](v T) *T { return &v }
