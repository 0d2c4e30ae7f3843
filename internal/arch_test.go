package internal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const module = "github.com/floehq/floe"

// pkgInfo is the part of `go list -json` output the rules need.
type pkgInfo struct {
	ImportPath string
	Standard   bool
	Deps       []string // transitive imports, as `go list` reports them
}

// TestDependencyDirection checks every package under internal/ against the
// rules of [violations]. Packages that do not exist yet are simply absent.
func TestDependencyDirection(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("finding the go command: %v", err)
	}
	// -e keeps listing when a package does not build yet; -deps adds every
	// dependency, with its Standard flag.
	cmd := exec.CommandContext(t.Context(), goBin, "list", "-e", "-deps", "-json=ImportPath,Standard,Deps", "./...")
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := errors.AsType[*exec.ExitError](err); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	pkgs, err := decodePackages(out)
	if err != nil {
		t.Fatalf("decoding go list output: %v", err)
	}
	if len(pkgs) == 0 {
		t.Fatalf("go list found no packages")
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

func decodePackages(out []byte) (map[string]pkgInfo, error) {
	pkgs := make(map[string]pkgInfo)
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkgInfo
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, err
		}
		pkgs[p.ImportPath] = p
	}
}

// violations returns one message per forbidden dependency of the module's
// internal packages, sorted. The rules (STYLE.md §1):
//
//   - llm imports only the standard library; llm/* subpackages (fakes,
//     conformance suites) add only llm itself and go-cmp;
//   - node imports only llm;
//   - flow imports only node and llm;
//   - credentials imports only node and llm (and golang.org/x/crypto);
//   - speechtotext imports only the standard library and llm;
//   - nodes/* never import engine, server, store or cmd, and a category
//     never imports another (nodes/all imports them all);
//   - provider/* never imports engine, server, store or nodes;
//   - engine never imports server or store; store never imports server,
//     engine or nodes.
func violations(pkgs map[string]pkgInfo) []string {
	var out []string
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p.ImportPath, module+"/internal/")
		if !ok || p.Standard {
			continue
		}
		for _, dep := range p.Deps {
			if d, known := pkgs[dep]; (known && d.Standard) || isStdPath(dep) {
				continue
			}
			if reason := forbidden(rel, dep); reason != "" {
				out = append(out, fmt.Sprintf("internal/%s imports %s: %s", rel, dep, reason))
			}
		}
	}
	slices.Sort(out)
	return out
}

// forbidden returns why package rel (relative to internal/) may not depend
// on the non-standard package dep, or "" when it may.
func forbidden(rel, dep string) string {
	depRel, internal := strings.CutPrefix(dep, module+"/internal/")
	if !internal {
		if depRel, ok := strings.CutPrefix(dep, module+"/"); ok {
			return "internal packages never import " + depRel // e.g. cmd/floe
		}
	}
	is := func(target string) bool { return internal && within(depRel, target) }

	switch {
	case rel == "llm":
		return "llm is a leaf: standard library only"
	case within(rel, "llm"):
		if is("llm") || strings.HasPrefix(dep, "github.com/google/go-cmp/") {
			return ""
		}
		return "llm subpackages import only llm and go-cmp"
	case rel == "node":
		if is("llm") && !within(depRel, "llm/") {
			return ""
		}
		return "node imports only llm"
	case within(rel, "flow"):
		if internal && (depRel == "node" || depRel == "llm") {
			return ""
		}
		return "flow is pure: it imports only node and llm"
	case within(rel, "credentials"):
		if internal && (depRel == "node" || depRel == "llm") || strings.HasPrefix(dep, "golang.org/x/crypto/") {
			return ""
		}
		return "credentials imports only node and llm"
	case within(rel, "speechtotext"):
		if is("llm") && !within(depRel, "llm/") {
			return ""
		}
		return "speechtotext imports only the standard library and llm"
	case within(rel, "nodes"):
		for _, f := range []string{"engine", "server", "store", "config"} {
			if is(f) {
				return "nodes never import " + f
			}
		}
		if own, other := category(rel), category(depRel); internal && other != "" && own != "all" && other != own {
			return "node categories never import each other (share through llm or provider)"
		}
	case within(rel, "provider"):
		for _, f := range []string{"engine", "server", "store", "nodes"} {
			if is(f) {
				return "provider never imports " + f
			}
		}
	case within(rel, "engine"):
		for _, f := range []string{"server", "store"} {
			if is(f) {
				return "engine never imports " + f
			}
		}
	case within(rel, "store"):
		for _, f := range []string{"server", "engine", "nodes"} {
			if is(f) {
				return "store never imports " + f
			}
		}
	}
	return ""
}

// within reports whether rel is pkg or one of its subpackages; a pkg ending
// in "/" matches only subpackages.
func within(rel, pkg string) bool {
	if strings.HasSuffix(pkg, "/") {
		return strings.HasPrefix(rel, pkg)
	}
	return rel == pkg || strings.HasPrefix(rel, pkg+"/")
}

// category returns the node category of a path under nodes/ ("chatmodels"
// for nodes/chatmodels or nodes/chatmodels/x), or "".
func category(rel string) string {
	rest, ok := strings.CutPrefix(rel, "nodes/")
	if !ok {
		return ""
	}
	cat, _, _ := strings.Cut(rest, "/")
	return cat
}

// isStdPath reports whether an import path belongs to the standard library
// (its first element has no dot), for deps that go list did not describe.
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestViolations(t *testing.T) {
	in := func(rel string) string { return module + "/internal/" + rel }
	pkgs := map[string]pkgInfo{
		"fmt":                      {ImportPath: "fmt", Standard: true},
		"github.com/google/uuid":   {ImportPath: "github.com/google/uuid"},
		in("llm"):                  {ImportPath: in("llm"), Deps: []string{"fmt", "github.com/google/uuid"}},
		in("llm/llmtest"):          {ImportPath: in("llm/llmtest"), Deps: []string{"fmt", in("llm"), "github.com/google/go-cmp/cmp", in("node")}},
		in("node"):                 {ImportPath: in("node"), Deps: []string{"fmt", in("llm"), in("flow")}},
		in("flow"):                 {ImportPath: in("flow"), Deps: []string{in("node"), in("llm"), in("store")}},
		in("credentials"):          {ImportPath: in("credentials"), Deps: []string{in("node"), "golang.org/x/crypto/pbkdf2", in("store")}},
		in("nodes/chatmodels"):     {ImportPath: in("nodes/chatmodels"), Deps: []string{in("node"), in("llm"), in("credentials"), in("provider/openai"), in("engine")}},
		in("nodes/chains"):         {ImportPath: in("nodes/chains"), Deps: []string{in("node"), in("nodes/chatmodels"), in("server")}},
		in("nodes/chains/sub"):     {ImportPath: in("nodes/chains/sub"), Deps: []string{in("nodes/chains")}},
		in("nodes/all"):            {ImportPath: in("nodes/all"), Deps: []string{in("nodes/chains"), in("nodes/chatmodels")}},
		in("provider/openai"):      {ImportPath: in("provider/openai"), Deps: []string{in("llm"), in("nodes/chains")}},
		in("engine"):               {ImportPath: in("engine"), Deps: []string{in("flow"), in("node"), in("server/sse")}},
		in("store"):                {ImportPath: in("store"), Deps: []string{"modernc.org/sqlite", in("server")}},
		in("server"):               {ImportPath: in("server"), Deps: []string{in("engine"), in("store"), module + "/cmd/floe"}},
		in("config"):               {ImportPath: in("config"), Deps: []string{"github.com/caarlos0/env/v11"}},
		in("speechtotext"):         {ImportPath: in("speechtotext"), Deps: []string{"fmt", in("llm"), in("node"), "github.com/google/uuid"}},
		module + "/cmd/floe":       {ImportPath: module + "/cmd/floe", Deps: []string{in("server"), in("nodes/all")}},
		"example.com/other/module": {ImportPath: "example.com/other/module", Deps: []string{in("server")}},
	}
	want := []string{
		"internal/credentials imports " + in("store") + ": credentials imports only node and llm",
		"internal/engine imports " + in("server/sse") + ": engine never imports server",
		"internal/flow imports " + in("store") + ": flow is pure: it imports only node and llm",
		"internal/llm imports github.com/google/uuid: llm is a leaf: standard library only",
		"internal/llm/llmtest imports " + in("node") + ": llm subpackages import only llm and go-cmp",
		"internal/node imports " + in("flow") + ": node imports only llm",
		"internal/nodes/chains imports " + in("nodes/chatmodels") + ": node categories never import each other (share through llm or provider)",
		"internal/nodes/chains imports " + in("server") + ": nodes never import server",
		"internal/nodes/chatmodels imports " + in("engine") + ": nodes never import engine",
		"internal/provider/openai imports " + in("nodes/chains") + ": provider never imports nodes",
		"internal/server imports " + module + "/cmd/floe: internal packages never import cmd/floe",
		"internal/speechtotext imports " + in("node") + ": speechtotext imports only the standard library and llm",
		"internal/speechtotext imports github.com/google/uuid: speechtotext imports only the standard library and llm",
		"internal/store imports " + in("server") + ": store never imports server",
	}
	if diff := cmp.Diff(want, violations(pkgs)); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}
