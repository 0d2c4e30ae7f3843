package documentloaders

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// fakeCredentials resolves credential ids to fields.
type fakeCredentials map[string]map[string]any

func (f fakeCredentials) Credential(_ context.Context, id string) (map[string]any, error) {
	c, ok := f[id]
	if !ok {
		return nil, errors.New("unknown credential " + id)
	}
	return c, nil
}

// fakeGitHub serves the trees and contents endpoints for acme/widgets.
type fakeGitHub struct {
	mu    sync.Mutex // guards auth
	auth  []string
	flaky atomic.Int32
}

var repoFiles = map[string]string{
	"README.md":      "# Widgets",
	"docs/guide.md":  "Guide",
	"docs/deep/x.md": "Deep",
	"src/main.go":    "package main",
	"vendor/lib.go":  "package lib",
	"flaky.txt":      "eventually",
	"broken.txt":     "never served",
}

func (g *fakeGitHub) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/acme/widgets/git/trees/{branch}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("branch") != "main" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"Not Found"}`)
			return
		}
		tree := []treeEntry{
			{Path: "README.md", Type: "blob", Size: 9},
			{Path: "broken.txt", Type: "blob", Size: 5},
			{Path: "docs", Type: "tree"},
			{Path: "docs/deep", Type: "tree"},
			{Path: "docs/deep/x.md", Type: "blob", Size: 4},
			{Path: "docs/guide.md", Type: "blob", Size: 5},
			{Path: "empty.txt", Type: "blob", Size: 0},
			{Path: "flaky.txt", Type: "blob", Size: 10},
			{Path: "logo.png", Type: "blob", Size: 100},
			{Path: "module", Type: "commit"},
			{Path: "src/main.go", Type: "blob", Size: 12},
			{Path: "vendor/lib.go", Type: "blob", Size: 11},
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"sha": "abc", "tree": tree, "truncated": false})
	})
	mux.HandleFunc("GET /repos/acme/widgets/contents/{path...}", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.auth = append(g.auth, r.Header.Get("Authorization"))
		g.mu.Unlock()
		p := r.PathValue("path")
		switch {
		case r.URL.Query().Get("ref") != "main" || r.Header.Get("Accept") != "application/vnd.github.raw":
			http.Error(w, "bad request", http.StatusBadRequest)
		case p == "broken.txt":
			http.Error(w, "boom", http.StatusInternalServerError)
		case p == "flaky.txt" && g.flaky.Add(1) == 1:
			http.Error(w, "try again", http.StatusServiceUnavailable)
		default:
			_, _ = io.WriteString(w, repoFiles[p])
		}
	})
	return mux
}

func TestGithub(t *testing.T) {
	gh := &fakeGitHub{}
	srv := serve(t, map[string]http.HandlerFunc{"/": gh.handler().ServeHTTP})
	t.Setenv(EnvGithubAPI, srv.URL+"/")
	doc := func(path, content string) llm.Document {
		return llm.Document{PageContent: content, Metadata: map[string]any{
			"source": path, "repository": "https://github.com/acme/widgets", "branch": "main",
		}}
	}
	data := func(inputs string) string {
		return `{"id":"github_0","name":"github","credential":"cred1","inputs":{` + inputs + `},"outputs":{"output":"document"}}`
	}
	creds := fakeCredentials{"cred1": {"accessToken": "tok"}}
	tests := []struct {
		name      string
		data      string
		rt        *node.Runtime
		want      []llm.Document
		wantAuth  string
		wantErr   string
		forbidden bool
	}{
		{
			name: "whole repository, recursive by default, retrying and skipping",
			data: data(`"repoLink":"https://github.com/acme/widgets","branch":"main","recursive":"","maxRetries":"1","maxConcurrency":"3"`),
			want: []llm.Document{
				doc("README.md", "# Widgets"), doc("docs/deep/x.md", "Deep"), doc("docs/guide.md", "Guide"),
				doc("flaky.txt", "eventually"), doc("src/main.go", "package main"), doc("vendor/lib.go", "package lib"),
			},
			wantAuth: "Bearer tok",
		},
		{
			name: "folder link, not recursive, ignore paths",
			data: data(`"repoLink":"https://github.com/acme/widgets/tree/main/docs","branch":"main","recursive":false,"maxRetries":0`),
			want: []llm.Document{doc("docs/guide.md", "Guide")},
		},
		{
			name: "ignore paths",
			data: data(`"repoLink":"https://github.com/acme/widgets.git","recursive":true,"maxRetries":0,"ignorePath":"[\"vendor/\", \"*.go\", \"docs/**\", \"!docs/guide.md\", \"*.txt\"]"`),
			want: []llm.Document{doc("README.md", "# Widgets"), doc("docs/guide.md", "Guide")},
		},
		{
			name: "instance API input wins over the environment",
			data: data(`"repoLink":"https://github.com/acme/widgets","githubInstanceApi":"` + srv.URL + `/","ignorePath":"[\"*.txt\", \"src\", \"vendor\", \"docs\"]"`),
			want: []llm.Document{doc("README.md", "# Widgets")},
		},
		{name: "unknown branch", data: data(`"repoLink":"https://github.com/acme/widgets","branch":"dev"`), wantErr: `listing files of https://github.com/acme/widgets at "dev"`},
		{name: "not a repository link", data: data(`"repoLink":"https://gitlab.com/acme/widgets"`), wantErr: `input "repoLink"`},
		{name: "loopback refused without allow list", data: data(`"repoLink":"https://github.com/acme/widgets"`), rt: &node.Runtime{SafeClient: guardedRuntime().SafeClient, Credentials: creds}, forbidden: true},
		{name: "no safe client", data: data(`"repoLink":"https://github.com/acme/widgets"`), rt: &node.Runtime{}, wantErr: "no SSRF-guarded HTTP client"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gh.mu.Lock()
			gh.auth = nil
			gh.mu.Unlock()
			gh.flaky.Store(0)
			rt := tc.rt
			if rt == nil {
				rt = safeRuntime(t, srv)
				rt.Credentials = creds
			}
			got, err := load(t, github, nodeData(t, tc.data, nil), rt)
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
			if tc.wantAuth != "" {
				gh.mu.Lock()
				defer gh.mu.Unlock()
				for _, a := range gh.auth {
					if a != tc.wantAuth {
						t.Errorf("Authorization = %q, want %q", a, tc.wantAuth)
					}
				}
			}
		})
	}
}

func TestIgnoreList(t *testing.T) {
	l, err := newIgnoreList([]string{"*.md", "!keep.md", "build/", "/root.txt", "a/**/z.go", "[ab].c", "# comment"})
	if err != nil {
		t.Fatalf("newIgnoreList: %v", err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{"README.md", true},
		{"docs/x.md", true},
		{"keep.md", false},
		{"build/out.js", true},
		{"src/build/out.js", true},
		{"build", false},
		{"root.txt", true},
		{"sub/root.txt", false},
		{"a/z.go", true},
		{"a/b/c/z.go", true},
		{"b/z.go", false},
		{"a.c", true},
		{"c.c", false},
		{"main.go", false},
	}
	for _, tc := range tests {
		if got := l.ignored(tc.path); got != tc.want {
			t.Errorf("ignored(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
	if (*ignoreList)(nil).ignored("x") {
		t.Errorf("nil list ignored a path")
	}
}

var _ node.CredentialResolver = fakeCredentials(nil)
