package documentloaders

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/netguard"
)

// treeEntry is one entry of GitHub's git trees API.
type treeEntry struct {
	Path string `json:"path"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

// load lists the repository's files and fetches them, maxConcurrency at a
// time, keeping tree order. A file that cannot be fetched is skipped with a
// warning (LangChain's "warn" handling), except for refused destinations
// and cancellation, which end the load.
func (r *repo) load(ctx context.Context) ([]llm.Document, error) {
	files, err := r.list(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	docs := make([]*llm.Document, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(r.concurrency, max(len(files), 1)) {
		wg.Go(func() {
			for i := range jobs {
				text, err := r.fileContent(ctx, files[i])
				if err != nil {
					if fatal(ctx, err) {
						cancel(err)
					} else {
						r.log.Warn("github loader: skipping file", "path", files[i], "error", err)
					}
					continue
				}
				docs[i] = &llm.Document{PageContent: text, Metadata: map[string]any{
					"source":     files[i],
					"repository": r.repository,
					"branch":     r.branch,
				}}
			}
		})
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("loading %s: %w", r.repository, err)
	}
	out := make([]llm.Document, 0, len(docs))
	for _, d := range docs {
		if d != nil {
			out = append(out, *d)
		}
	}
	return out, nil
}

// list returns the paths of the files to load: blobs under r.path (only
// its direct children unless recursive), skipping empty files (submodule
// placeholders in LangChain), binary files and ignored paths.
func (r *repo) list(ctx context.Context) ([]string, error) {
	u := fmt.Sprintf("%s/repos/%s/%s/git/trees/%s", r.api, url.PathEscape(r.owner), url.PathEscape(r.name), escapePath(r.branch))
	if r.recursive || r.path != "" {
		u += "?recursive=1"
	}
	body, err := r.get(ctx, u, "application/vnd.github+json")
	if err != nil {
		return nil, fmt.Errorf("listing files of %s at %q: %w", r.repository, r.branch, err)
	}
	var tree struct {
		Tree      []treeEntry `json:"tree"`
		Truncated bool        `json:"truncated"`
	}
	if err := json.Unmarshal(body, &tree); err != nil {
		return nil, fmt.Errorf("listing files of %s: decoding tree: %w", r.repository, err)
	}
	if tree.Truncated {
		r.log.Warn("github loader: repository tree truncated by the API; some files are missing", "repository", r.repository)
	}
	var files []string
	for _, e := range tree.Tree {
		if e.Type != "blob" || e.Size == 0 {
			continue
		}
		rel := e.Path
		if r.path != "" {
			var ok bool
			if rel, ok = strings.CutPrefix(e.Path, r.path+"/"); !ok && e.Path != r.path {
				continue
			}
		}
		if !r.recursive && e.Path != r.path && strings.Contains(rel, "/") {
			continue
		}
		if isBinaryPath(e.Path) || r.ignore.ignored(e.Path) {
			continue
		}
		files = append(files, e.Path)
	}
	return files, nil
}

// fileContent fetches one file's raw content through the contents API.
func (r *repo) fileContent(ctx context.Context, p string) (string, error) {
	u := fmt.Sprintf("%s/repos/%s/%s/contents/%s?ref=%s", r.api, url.PathEscape(r.owner), url.PathEscape(r.name),
		escapePath(p), url.QueryEscape(r.branch))
	b, err := r.get(ctx, u, "application/vnd.github.raw")
	if err != nil {
		return "", err
	}
	return decodeText(b), nil
}

// get GETs u with the API headers, retrying network errors, 429 and 5xx
// responses up to r.retries times with exponential backoff.
func (r *repo) get(ctx context.Context, u, accept string) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt <= r.retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(r.backoff << (attempt - 1)):
			}
		}
		b, status, err := r.getOnce(ctx, u, accept)
		switch {
		case err != nil && fatal(ctx, err):
			return nil, err
		case err != nil:
			lastErr = err
		case status == http.StatusTooManyRequests || status >= 500:
			lastErr = fmt.Errorf("GET %s: status %d", u, status)
		case status < 200 || status > 299:
			return nil, fmt.Errorf("GET %s: status %d: %s", u, status, apiMessage(b))
		default:
			return b, nil
		}
	}
	return nil, lastErr
}

func (r *repo) getOnce(ctx context.Context, u, accept string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "floe")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	b, err := netguard.ReadAll(resp.Body, maxRemoteBytes)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", u, err)
	}
	return b, resp.StatusCode, nil
}

// apiMessage returns the message of a GitHub error body, or the body.
func apiMessage(b []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &e) == nil && e.Message != "" {
		return e.Message
	}
	if len(b) > 200 {
		b = b[:200]
	}
	return string(b)
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// isBinaryPath reports whether p has a binary file extension (after the
// binary-extensions list LangChain uses).
func isBinaryPath(p string) bool {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(p), "."))
	return binaryExtensions[ext]
}

var binaryExtensions = func() map[string]bool {
	m := map[string]bool{}
	for e := range strings.FieldsSeq(`3dm 3ds 3g2 3gp 7z a aac adp ai aif aiff alz ape apk appimage ar arj asf au avi
		bak baml bh bin bk bmp btif bz2 bzip2 cab caf cgm class cmx cpio cr2 cur dat dcm deb dex djvu dll dmg dng doc
		docm docx dot dotm dra ds_store dsk dts dtshd dvb dwg dxf ecelp4800 ecelp7470 ecelp9600 egg eol eot epub exe
		f4v fbs fh fla flac flatpak fli flv fpx fst fvt g3 gh gif graffle gz gzip h261 h263 h264 icns ico ief img ipa
		iso jar jpeg jpg jpgv jpm jxr key ktx lha lib lvp lz lzh lzma lzo m3u m4a m4v mar mdi mht mid midi mj2 mka mkv
		mmr mng mobi mov movie mp3 mp4 mp4a mpeg mpg mpga mxu nef npx numbers nupkg o odp ods odt oga ogg ogv otf ott
		pages pbm pcx pdb pdf pea pgm pic png pnm pot potm potx ppa ppam ppm pps ppsm ppsx ppt pptm pptx psd pya pyc
		pyo pyv qt rar ras raw resources rgb rip riff rlc rmf rmvb rpm rtf rz s3m s7z scpt sgi shar snap sil sketch slk
		smv snk so stl suo sub swf tar tbz tbz2 tga tgz thmx tif tiff tlz ttc ttf txz udf uvh uvi uvm uvp uvs uvu viv
		vob war wav wax wbmp wdp weba webm webp whl wim wm wma wmv wmx woff woff2 wrm wvx xbm xif xla xlam xls xlsb
		xlsm xlsx xlt xltm xltx xm xmind xpi xpm xwd xz z zip zipx`) {
		m[e] = true
	}
	return m
}()
