package chatmodels

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// maxImageBytes caps an image fetched from its URL.
const maxImageBytes = 20 << 20

// errNoSafeClient refuses an image URL when the runtime has no SSRF-guarded
// client.
var errNoSafeClient = errors.New("no SSRF-guarded HTTP client to fetch the image URL with")

// images handles the pictures of user turns for a chat model node. With
// allow off (the node's Allow Image Uploads input, or a node Flowise gives
// no such input) they are dropped, as Flowise does, with one log line per
// call. With it on, the nodes whose vendor takes image URLs (the OpenAI
// family, Anthropic) pass URL images on as they are; those that take
// inline bytes only (Gemini, Ollama) fetch them through client with
// [images.load]. An images value is read-only and safe for concurrent use.
type images struct {
	node  string
	allow bool
	// noInput marks a node without an Allow Image Uploads input, which
	// never sends images.
	noInput bool
	// detail is the saved imageResolution input (Flowise 3.0's low, high
	// or auto), sent as OpenAI's image detail; "" sends none, as Flowise
	// 3.1 does.
	detail string
	// client is the runtime's SafeClient; nil refuses URL images.
	client *http.Client
	log    *slog.Logger
}

// imagesInput returns the images of a node with an Allow Image Uploads
// input, read from data (off when absent).
func imagesInput(data *node.Data, rt *node.Runtime, nodeName string) (images, error) {
	allow, err := data.Bool(inAllowImageUploads, false)
	if err != nil {
		return images{}, err
	}
	res, err := data.String("imageResolution", "")
	if err != nil {
		return images{}, err
	}
	detail := strings.ToLower(res)
	if detail != "low" && detail != "high" && detail != "auto" {
		detail = ""
	}
	return images{node: nodeName, allow: allow, detail: detail, client: safeClient(rt), log: rt.Log()}, nil
}

// noImageInput returns the images of a node that Flowise gives no Allow
// Image Uploads input: they are always dropped, whatever its saved data
// holds.
func noImageInput(rt *node.Runtime, nodeName string) images {
	return images{node: nodeName, noInput: true, log: rt.Log()}
}

// safeClient returns rt's SSRF-guarded client, nil when there is none.
func safeClient(rt *node.Runtime) *http.Client {
	if rt == nil {
		return nil
	}
	return rt.SafeClient
}

// use reports whether req's images are to be sent. When they are not and
// req has some on user turns, it logs one line saying they were ignored.
func (im images) use(ctx context.Context, req llm.ChatRequest) bool {
	if im.allow && !im.noInput {
		return true
	}
	n := 0
	for _, m := range req.Messages {
		if m.Role == llm.RoleUser {
			n += len(m.Images)
		}
	}
	if n == 0 {
		return false
	}
	if im.noInput {
		im.log.InfoContext(ctx, "ignoring image uploads: the node takes no images", "node", im.node, "images", n)
	} else {
		im.log.InfoContext(ctx, "ignoring image uploads: Allow Image Uploads is off", "node", im.node, "images", n)
	}
	return false
}

// filter returns req as it is to be sent: unchanged when its images are
// allowed, else (after use has logged them) with every turn's images
// removed. The caller's messages are never modified.
func (im images) filter(ctx context.Context, req llm.ChatRequest) llm.ChatRequest {
	if im.use(ctx, req) {
		return im.withDetail(req)
	}
	if !slices.ContainsFunc(req.Messages, func(m llm.Message) bool { return len(m.Images) > 0 }) {
		return req
	}
	msgs := slices.Clone(req.Messages)
	for i := range msgs {
		msgs[i].Images = nil
	}
	req.Messages = msgs
	return req
}

// withDetail sets the node's imageResolution on images that have no
// detail of their own, without changing the caller's messages.
func (im images) withDetail(req llm.ChatRequest) llm.ChatRequest {
	if im.detail == "" || !slices.ContainsFunc(req.Messages, func(m llm.Message) bool { return len(m.Images) > 0 }) {
		return req
	}
	msgs := slices.Clone(req.Messages)
	for i := range msgs {
		if len(msgs[i].Images) == 0 {
			continue
		}
		imgs := slices.Clone(msgs[i].Images)
		for j := range imgs {
			if imgs[j].Detail == "" {
				imgs[j].Detail = im.detail
			}
		}
		msgs[i].Images = imgs
	}
	req.Messages = msgs
	return req
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
