package documentloaders

import (
	"fmt"
	"regexp"
	"strings"
)

// ignoreRule is one gitignore pattern.
type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// ignoreList matches repository paths against gitignore-style patterns, as
// the "ignore" package behind LangChain's ignorePaths does: "*" and "?"
// stay within a path segment, "**" crosses segments, a pattern without a
// slash matches at any depth, a trailing slash matches directories only,
// "!" re-includes, and a path inside an ignored directory is ignored. A nil
// list ignores nothing.
type ignoreList struct {
	rules []ignoreRule
}

func newIgnoreList(patterns []string) (*ignoreList, error) {
	l := &ignoreList{}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		var r ignoreRule
		if rest, ok := strings.CutPrefix(p, "!"); ok {
			r.negate, p = true, rest
		}
		if rest, ok := strings.CutSuffix(p, "/"); ok {
			r.dirOnly, p = true, rest
		}
		anchored := strings.Contains(p, "/")
		p = strings.TrimPrefix(p, "/")
		expr := globRegexp(p)
		if anchored {
			expr = "^" + expr + "$"
		} else {
			expr = "^(?:.*/)?" + expr + "$"
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		r.re = re
		l.rules = append(l.rules, r)
	}
	return l, nil
}

// ignored reports whether path (a file) or one of its directories is
// ignored.
func (l *ignoreList) ignored(path string) bool {
	if l == nil || len(l.rules) == 0 {
		return false
	}
	parts := strings.Split(path, "/")
	for i := 1; i <= len(parts); i++ {
		if l.match(strings.Join(parts[:i], "/"), i < len(parts)) {
			return true
		}
	}
	return false
}

// match applies the rules in order; the last matching one decides.
func (l *ignoreList) match(p string, isDir bool) bool {
	out := false
	for _, r := range l.rules {
		if r.dirOnly && !isDir {
			continue
		}
		if r.re.MatchString(p) {
			out = !r.negate
		}
	}
	return out
}

// globRegexp translates a gitignore glob into a regular expression body.
func globRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := glob[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(string(glob[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}
