package documentloaders

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/node"
)

func TestAPILoader(t *testing.T) {
	srv := serve(t, map[string]http.HandlerFunc{
		"GET /data": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"b":1,"key":"`+r.Header.Get("X-Key")+`","a":[1,2]}`)
		},
		"POST /echo": func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			_, _ = io.WriteString(w, `{"ct":"`+r.Header.Get("Content-Type")+`","got":`+string(b)+`}`)
		},
		"GET /text": func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello \"you\"") },
		"GET /missing": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "nope", http.StatusNotFound)
		},
	})
	data := func(inputs string) string {
		return `{"id":"apiLoader_0","name":"apiLoader","inputs":{` + inputs + `},"outputs":{"output":"document"}}`
	}
	tests := []struct {
		name      string
		data      string
		rt        *node.Runtime
		want      []llm.Document
		wantErr   string
		forbidden bool
	}{
		{
			name: "GET with headers",
			data: data(`"method":"GET","url":"` + srv.URL + `/data","headers":"{\"X-Key\":\"k1\"}","caFile":"","body":""`),
			want: []llm.Document{{PageContent: "{\n  \"b\": 1,\n  \"key\": \"k1\",\n  \"a\": [\n    1,\n    2\n  ]\n}", Metadata: map[string]any{"url": srv.URL + "/data"}}},
		},
		{
			name: "POST with JSON body",
			data: data(`"method":"POST","url":"` + srv.URL + `/echo","body":"{\"q\":\"x\"}"`),
			want: []llm.Document{{PageContent: "{\n  \"ct\": \"application/json\",\n  \"got\": {\n    \"q\": \"x\"\n  }\n}", Metadata: map[string]any{"url": srv.URL + "/echo"}}},
		},
		{
			name: "POST without body sends an empty object",
			data: data(`"method":"POST","url":"` + srv.URL + `/echo"`),
			want: []llm.Document{{PageContent: "{\n  \"ct\": \"application/json\",\n  \"got\": {}\n}", Metadata: map[string]any{"url": srv.URL + "/echo"}}},
		},
		{
			name: "text response becomes a JSON string",
			data: data(`"url":"` + srv.URL + `/text"`),
			want: []llm.Document{{PageContent: `"hello \"you\""`, Metadata: map[string]any{"url": srv.URL + "/text"}}},
		},
		{name: "error status", data: data(`"url":"` + srv.URL + `/missing"`), wantErr: "status 404"},
		{name: "loopback refused without allow list", data: data(`"url":"` + srv.URL + `/data"`), rt: guardedRuntime(), forbidden: true},
		{name: "no safe client", data: data(`"url":"` + srv.URL + `/data"`), rt: &node.Runtime{HTTPClient: http.DefaultClient}, wantErr: "no SSRF-guarded HTTP client"},
		{name: "non-http URL", data: data(`"url":"file:///etc/passwd"`), wantErr: `input "url": invalid URL`},
		{name: "bad headers", data: data(`"url":"` + srv.URL + `/data","headers":"[1,"`), wantErr: `input "headers"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := tc.rt
			if rt == nil {
				rt = safeRuntime(t, srv)
			}
			got, err := load(t, apiLoader, nodeData(t, tc.data, nil), rt)
			if tc.forbidden {
				wantForbidden(t, err)
				return
			}
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAPILoaderCAFile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"secure":true}`)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	rt := &node.Runtime{SafeClient: netguard.NewClient(netguard.Options{Allow: []string{u.Host}})}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ca, _ := json.Marshal(dataURI("application/x-x509-ca-cert", "ca.pem", certPEM))
	bad, _ := json.Marshal(dataURI("application/x-x509-ca-cert", "bad.pem", []byte("not a cert")))

	tests := []struct {
		name    string
		caFile  string
		want    string
		wantErr string
	}{
		{name: "trusted through caFile", caFile: string(ca), want: "{\n  \"secure\": true\n}"},
		{name: "system roots refuse the test certificate", caFile: `""`, wantErr: "certificate"},
		{name: "caFile without certificate", caFile: string(bad), wantErr: `file "bad.pem": no PEM certificate found`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := nodeData(t, `{"id":"apiLoader_0","name":"apiLoader","inputs":{"url":"`+srv.URL+`","caFile":`+tc.caFile+`}}`, nil)
			got, err := load(t, apiLoader, d, rt)
			if checkErr(t, err, tc.wantErr) {
				return
			}
			if len(got) != 1 || got[0].PageContent != tc.want {
				t.Errorf("documents = %+v, want one with %q", got, tc.want)
			}
		})
	}
}
