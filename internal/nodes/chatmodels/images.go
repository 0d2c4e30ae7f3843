package chatmodels

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// maxImageBytes caps an image fetched from its URL.
const maxImageBytes = 20 << 20

// errNoSafeClient refuses an image URL when the runtime has no SSRF-guarded
// client.
var errNoSafeClient = errors.New("no SSRF-guarded HTTP client to fetch the image URL with")

// images handles the pictures of user turns for the chat models that take
// inline image bytes only (Gemini, Ollama). With allow off (the node's
// Allow Image Uploads input) they are dropped, as Flowise does; with it on,
// images given by URL are fetched through client. An images value is
// read-only and safe for concurrent use.
type images struct {
	node  string
	allow bool
	// client is the runtime's SafeClient; nil refuses URL images.
	client *http.Client
	log    *slog.Logger
}

// safeClient returns rt's SSRF-guarded client, nil when there is none.
func safeClient(rt *node.Runtime) *http.Client {
	if rt == nil {
		return nil
	}
	return rt.SafeClient
}

// use reports whether req's images are to be sent. When they are not and
// req has some, it logs one line saying they were ignored.
func (im images) use(ctx context.Context, req llm.ChatRequest) bool {
	if im.allow {
		return true
	}
	n := 0
	for _, m := range req.Messages {
		if m.Role == llm.RoleUser {
			n += len(m.Images)
		}
	}
	if n > 0 {
		im.log.InfoContext(ctx, "ignoring image uploads: Allow Image Uploads is off", "node", im.node, "images", n)
	}
	return false
}

// load returns img's bytes and media type, fetching img.URL when it has no
// Data. An image without a type gets the fetched Content-Type or, failing
// that, the type sniffed from its bytes.
func (im images) load(ctx context.Context, img llm.Image) (data []byte, mimeType string, err error) {
	data, mimeType = img.Data, img.MIME
	if data == nil {
		if img.URL == "" {
			return nil, "", errors.New("image has neither data nor URL")
		}
		var fetched string
		if data, fetched, err = im.fetch(ctx, img.URL); err != nil {
			return nil, "", err
		}
		if mimeType == "" {
			mimeType = fetched
		}
	}
	if mimeType == "" || mimeType == "application/octet-stream" {
		mimeType = http.DetectContentType(data)
	}
	return data, mimeType, nil
}

// fetch downloads an image through the SSRF-guarded client, refusing
// answers over maxImageBytes. It returns the body and its media type.
func (im images) fetch(ctx context.Context, url string) ([]byte, string, error) {
	if im.client == nil {
		return nil, "", errNoSafeClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("fetching image: %w", err)
	}
	res, err := im.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("fetching image: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return nil, "", fmt.Errorf("fetching image %s: status %s", url, res.Status)
	}
	if res.ContentLength > maxImageBytes {
		return nil, "", fmt.Errorf("fetching image %s: %d bytes, over the %d MiB limit", url, res.ContentLength, maxImageBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, maxImageBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("fetching image %s: %w", url, err)
	}
	if len(data) > maxImageBytes {
		return nil, "", fmt.Errorf("fetching image %s: over the %d MiB limit", url, maxImageBytes>>20)
	}
	mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	return data, mt, nil
}
