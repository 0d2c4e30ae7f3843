package documentloaders

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/node"
)

const (
	inMethod  = "method"
	inURL     = "url"
	inHeaders = "headers"
	inCaFile  = "caFile"
	inBody    = "body"
)

// apiLoader mirrors Flowise's API Loader (nodes/documentloaders/API/
// APILoader.ts): one GET or POST request whose response, pretty-printed as
// JSON, is one document with metadata url.
var apiLoader = node.Definition{
	Spec: node.Spec{
		Label:       "API Loader",
		Name:        "apiLoader",
		Version:     2.1,
		Type:        "Document",
		Icon:        "api.svg",
		Category:    category,
		Description: "Load data from an API",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			splitterParam,
			{Label: "Method", Name: inMethod, Type: node.TypeOptions, Options: []node.Option{
				{Label: "GET", Name: http.MethodGet},
				{Label: "POST", Name: http.MethodPost},
			}},
			{Label: "URL", Name: inURL, Type: node.TypeString},
			{Label: "Headers", Name: inHeaders, Type: node.TypeJSON, AdditionalParams: true, Optional: true},
			{
				Label:            "SSL Certificate",
				Name:             inCaFile,
				Type:             node.TypeFile,
				Description:      "CA certificate (.pem or .crt) to trust instead of the system's for this API",
				FileType:         ".pem, .crt",
				AdditionalParams: true,
				Optional:         true,
			},
			{
				Label:            "Body",
				Name:             inBody,
				Type:             node.TypeJSON,
				Description:      "JSON body of a POST request",
				AdditionalParams: true,
				Optional:         true,
			},
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initAPILoader,
}

// apiRequest is an API Loader's request.
type apiRequest struct {
	client  *http.Client
	method  string
	url     string
	headers map[string]string
	body    []byte
	ca      *fileSet // nil without a CA file
}

func initAPILoader(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	client, err := safeClient(rt)
	if err != nil {
		return nil, err
	}
	req := &apiRequest{client: client, method: http.MethodGet}
	if m, err := data.String(inMethod, http.MethodGet); err != nil {
		return nil, err
	} else if m == http.MethodPost {
		req.method = http.MethodPost
	}
	if req.url, err = httpURL(data, inURL); err != nil {
		return nil, err
	}
	var headers map[string]any
	if err := data.JSON(inHeaders, &headers); err != nil {
		return nil, err
	}
	req.headers = make(map[string]string, len(headers))
	for k, v := range headers {
		if s, ok := v.(string); ok {
			req.headers[k] = s
		} else {
			b, _ := json.Marshal(v)
			req.headers[k] = string(b)
		}
	}
	if req.method == http.MethodPost {
		var body json.RawMessage
		if err := data.JSON(inBody, &body); err != nil {
			return nil, err
		}
		req.body = []byte("{}")
		if len(body) > 0 {
			req.body = body
		}
	}
	if data.Has(inCaFile) {
		if req.ca, err = fileInput(data, rt, inCaFile); err != nil {
			return nil, err
		}
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = req.load
	return finish(ctx, data, l)
}

// safeClient returns the runtime's SSRF-guarded client, refusing to fall
// back to an unguarded one.
func safeClient(rt *node.Runtime) (*http.Client, error) {
	if rt == nil || rt.SafeClient == nil {
		return nil, errors.New("no SSRF-guarded HTTP client available for outbound requests")
	}
	return rt.SafeClient, nil
}

// httpURL reads a required http(s) URL input.
func httpURL(data *node.Data, name string) (string, error) {
	raw, err := data.String(name, "")
	if err != nil {
		return "", err
	}
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("input %q: invalid URL %q, want an http or https URL", name, raw)
	}
	return raw, nil
}

func (r *apiRequest) load(ctx context.Context) ([]llm.Document, error) {
	client := r.client
	if r.ca != nil {
		var err error
		if client, err = r.withCA(ctx); err != nil {
			return nil, err
		}
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, fmt.Errorf("building request to %s: %w", r.url, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json, text/plain, */*")
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", r.url, err)
	}
	defer resp.Body.Close()
	b, err := netguard.ReadAll(resp.Body, maxRemoteBytes)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: reading response: %w", r.url, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("fetching %s: status %s", r.url, resp.Status)
	}
	return []llm.Document{{PageContent: prettyJSON(b), Metadata: map[string]any{"url": r.url}}}, nil
}

// withCA returns the client trusting only the configured CA certificates.
func (r *apiRequest) withCA(ctx context.Context) (*http.Client, error) {
	pool := x509.NewCertPool()
	_, err := r.ca.each(ctx, func(name string, b []byte) ([]llm.Document, error) {
		if !pool.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("file %q: no PEM certificate found", name)
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return netguard.WithRootCAs(r.client, pool)
}

// prettyJSON renders a response as JSON.stringify(data, null, 2) does for
// axios's data: JSON bodies indented by two spaces, anything else as a JSON
// string.
func prettyJSON(b []byte) string {
	if json.Valid(b) {
		var out bytes.Buffer
		if err := json.Indent(&out, bytes.TrimSpace(b), "", "  "); err == nil {
			return out.String()
		}
	}
	var out bytes.Buffer
	writeJSONString(&out, decodeText(b))
	return out.String()
}
