package documentloaders

import (
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestCheerioWebScraper(t *testing.T) {
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, "<html><head><title>T</title></head><body>"+body+"</body></html>")
		}
	}
	var srvURL string
	srv := serve(t, map[string]http.HandlerFunc{
		"GET /{$}": html(`<h1>Welcome</h1><p class="x">Para</p><a href="/about">About</a> <a href="/docs/">Docs</a>` +
			`<a href="https://other.example/x">ext</a><a href="#top">top</a><a href="/file.pdf">pdf</a>`),
		"GET /about": html(`<h1>About us</h1><a href="/">home</a>`),
		"GET /docs/": html(`<h1>Docs page</h1>`),
		"GET /file.pdf": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write(makePDF([]string{"x"}, false))
		},
		"GET /sitemap.xml": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			_, _ = io.WriteString(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
				`<url><loc>`+srvURL+`/about</loc></url><url><loc> `+srvURL+`/docs/ </loc></url></urlset>`)
		},
		"GET /gone": func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) },
	})
	srvURL = srv.URL
	doc := func(u, text string) llm.Document {
		return llm.Document{PageContent: text, Metadata: map[string]any{"source": u}}
	}
	data := func(inputs string) string {
		return `{"id":"cheerioWebScraper_0","name":"cheerioWebScraper","inputs":{` + inputs + `},"outputs":{"output":"document"}}`
	}
	tests := []struct {
		name      string
		data      string
		extra     map[string]any
		rt        *node.Runtime
		want      []llm.Document
		wantErr   string
		forbidden bool
	}{
		{
			name: "single page, body text",
			data: data(`"url":"` + srv.URL + `/about","relativeLinksMethod":"","limit":"","selector":""`),
			want: []llm.Document{doc(srv.URL+"/about", "About ushome")},
		},
		{
			name: "selector",
			data: data(`"url":" ` + srv.URL + `/ ","selector":"h1, p.x"`),
			want: []llm.Document{doc(srv.URL+"/", "WelcomePara")},
		},
		{
			name: "web crawl stays on host and skips PDFs",
			data: data(`"url":"` + srv.URL + `/","relativeLinksMethod":"webCrawl","limit":"10","selector":"h1"`),
			want: []llm.Document{doc(srv.URL, "Welcome"), doc(srv.URL+"/about", "About us"), doc(srv.URL+"/docs", "Docs page")},
		},
		{
			name: "web crawl limit",
			data: data(`"url":"` + srv.URL + `","relativeLinksMethod":"webCrawl","limit":2,"selector":"h1"`),
			want: []llm.Document{doc(srv.URL, "Welcome"), doc(srv.URL+"/about", "About us")},
		},
		{
			name: "sitemap",
			data: data(`"url":"` + srv.URL + `/sitemap.xml","relativeLinksMethod":"scrapeXMLSitemap","limit":"0","selector":"h1"`),
			want: []llm.Document{doc(srv.URL+"/about", "About us"), doc(srv.URL+"/docs/", "Docs page")},
		},
		{
			name: "sitemap limit",
			data: data(`"url":"` + srv.URL + `/sitemap.xml","relativeLinksMethod":"scrapeXMLSitemap","limit":"1","selector":"h1"`),
			want: []llm.Document{doc(srv.URL+"/about", "About us")},
		},
		{
			name:  "selected links",
			data:  data(`"url":"` + srv.URL + `","selector":"h1"`),
			extra: map[string]any{inSelectedLinks: []any{srv.URL + "/docs/"}},
			want:  []llm.Document{doc(srv.URL+"/docs/", "Docs page")},
		},
		{name: "sitemap that is not XML", data: data(`"url":"` + srv.URL + `/about","relativeLinksMethod":"scrapeXMLSitemap"`), wantErr: "no relative links found"},
		{name: "selector matching nothing", data: data(`"url":"` + srv.URL + `/about","selector":"table"`), wantErr: `selector "table" matched nothing`},
		{name: "error status", data: data(`"url":"` + srv.URL + `/gone"`), wantErr: "status 404"},
		{name: "loopback refused without allow list", data: data(`"url":"` + srv.URL + `/about"`), rt: guardedRuntime(), forbidden: true},
		{name: "crawl refused without allow list", data: data(`"url":"` + srv.URL + `","relativeLinksMethod":"webCrawl"`), rt: guardedRuntime(), forbidden: true},
		{name: "no safe client", data: data(`"url":"` + srv.URL + `"`), rt: &node.Runtime{}, wantErr: "no SSRF-guarded HTTP client"},
		{name: "invalid URL", data: data(`"url":"not a url"`), wantErr: `input "url": invalid URL`},
		{name: "negative limit", data: data(`"url":"` + srv.URL + `","relativeLinksMethod":"webCrawl","limit":"-1"`), wantErr: "limit cannot be less than 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := tc.rt
			if rt == nil {
				rt = safeRuntime(t, srv)
			}
			got, err := load(t, cheerioWebScraper, nodeData(t, tc.data, tc.extra), rt)
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
