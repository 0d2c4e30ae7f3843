package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/speechtotext"
	"github.com/floehq/floe/internal/store"
)

// Upload size limits in MiB. Flowise advertises the image and file limits
// (imgUploadSizeAndTypes, fileUploadSizeAndTypes) but never checks them;
// Floe enforces them. Audio is capped at Whisper's 25 MB.
const (
	maxImageUploadMB = 5
	maxFileUploadMB  = 500
	maxAudioUploadMB = 25
)

// Upload item types of a prediction's uploads[] (reference §5.2) and the
// forms stored in the user message's fileUploads.
const (
	uploadFile       = "file"
	uploadFileRAG    = "file:rag"
	uploadAudio      = "audio"
	uploadURL        = "url"
	uploadFileFull   = "file:full"
	uploadStored     = "stored-file"
	uploadStoredFull = "stored-file:full"
)

// uploadItem is one element of a prediction's uploads[].
type uploadItem struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Mime string `json:"mime"`
	Data string `json:"data"`
}

// fileUpload is an upload as the user message's fileUploads column keeps
// it: never the bytes, only where to find them.
type fileUpload struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Data string `json:"data,omitempty"` // the image URL of a url item
	Mime string `json:"mime"`
}

// pendingFile is a decoded upload waiting to be stored.
type pendingFile struct {
	name, mime string
	data       []byte
}

// chatUploads is a prediction's uploads, validated and decoded, not yet
// stored.
type chatUploads struct {
	files    []pendingFile // stored under <chatflowId>/<chatId>/
	audio    []pendingFile // transcribed when speech to text is on
	stored   []fileUpload  // the user message's fileUploads
	images   []llm.Image   // for vision models
	fullText string        // full-file uploads as <doc name='...'>...</doc>
}

// empty reports whether there were no uploads.
func (u *chatUploads) empty() bool { return u == nil || len(u.stored) == 0 }

// parseUploads decodes the uploads field.
func parseUploads(raw json.RawMessage) ([]uploadItem, error) {
	var items []uploadItem
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errorf(http.StatusBadRequest, "field %q must be an array of {type, name, mime, data}", "uploads")
	}
	return items, nil
}

// prepareUploads validates every upload before anything is stored or sent
// to a model: the type, a safe file name with an extension, a strict base64
// data URL whose media type matches the name's extension, and the size
// limits (413). url items must be http(s) URLs; file:full items carry text.
func prepareUploads(items []uploadItem) (*chatUploads, error) {
	u := &chatUploads{}
	var full strings.Builder
	for i, it := range items {
		bad := func(format string, args ...any) error {
			return errorf(http.StatusBadRequest, "upload %d (%q): %s", i, it.Name, fmt.Sprintf(format, args...))
		}
		switch it.Type {
		case uploadFile, uploadFileRAG, uploadAudio:
			if err := blob.CheckName(it.Name); err != nil {
				return nil, bad("the file name is not allowed: %v", err)
			}
			m, data, err := decodeDataURL(it.Data)
			if err != nil {
				return nil, bad("%v", err)
			}
			if _, known := mimeExtensions[m]; !known {
				return nil, bad("unsupported file type %q", m)
			}
			if !mimeMatchesName(m, it.Name) {
				return nil, bad("the data is %s but the file name's extension does not match it", m)
			}
			limit, what := maxFileUploadMB, "file"
			switch {
			case it.Type == uploadAudio:
				if !audioUploadTypes[m] {
					return nil, bad("audio uploads must be webm, mp4, ogg, wav or mpeg, not %s", m)
				}
				limit, what = maxAudioUploadMB, "audio"
			case strings.HasPrefix(m, "image/"):
				if !slices.Contains(imageUploadTypes, m) {
					return nil, bad("image uploads must be gif, jpeg, png or webp, not %s", m)
				}
				limit, what = maxImageUploadMB, "image"
			}
			if len(data) > limit<<20 {
				return nil, errorf(http.StatusRequestEntityTooLarge, "upload %d (%q): the %s is %.1f MB, over the %d MB limit", i, it.Name, what, float64(len(data))/(1<<20), limit)
			}
			if len(data) == 0 {
				return nil, bad("the file is empty")
			}
			f := pendingFile{name: it.Name, mime: m, data: data}
			u.files = append(u.files, f)
			if it.Type == uploadAudio {
				u.audio = append(u.audio, f)
			}
			if strings.HasPrefix(m, "image/") {
				u.images = append(u.images, llm.Image{MIME: m, Data: data})
			}
			u.stored = append(u.stored, fileUpload{Type: uploadStored, Name: it.Name, Mime: m})
		case uploadURL:
			p, err := url.Parse(it.Data)
			if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
				return nil, bad("a url upload needs an http(s) URL in data")
			}
			m := baseMIME(it.Mime)
			if m == "" {
				m = "image/png" // as Flowise
			}
			if !strings.HasPrefix(m, "image/") {
				return nil, bad("url uploads are images; mime %q is not an image type", it.Mime)
			}
			u.images = append(u.images, llm.Image{MIME: m, URL: it.Data})
			u.stored = append(u.stored, fileUpload{Type: uploadURL, Name: it.Name, Data: it.Data, Mime: m})
		case uploadFileFull:
			if err := blob.CheckName(it.Name); err != nil {
				return nil, bad("the file name is not allowed: %v", err)
			}
			if strings.HasPrefix(it.Data, "data:") {
				return nil, bad("a file:full upload carries the file's extracted text (from POST /api/v1/attachments), not a data URL")
			}
			if len(it.Data) > maxFileUploadMB<<20 {
				return nil, errorf(http.StatusRequestEntityTooLarge, "upload %d (%q): over the %d MB limit", i, it.Name, maxFileUploadMB)
			}
			// Flowise's framing, so prompts written for it read the same.
			fmt.Fprintf(&full, "<doc name='%s'>%s</doc>\n\n", it.Name, it.Data)
			u.stored = append(u.stored, fileUpload{Type: uploadStoredFull, Name: it.Name, Mime: baseMIME(it.Mime)})
		case "":
			return nil, bad("type is required (file, file:rag, audio, url or file:full)")
		default:
			return nil, bad("unknown type %q (want file, file:rag, audio, url or file:full)", it.Type)
		}
	}
	u.fullText = full.String()
	return u, nil
}

// decodeDataURL strictly decodes "data:<mime>[;param]...;base64,<data>".
func decodeDataURL(s string) (string, []byte, error) {
	rest, ok := strings.CutPrefix(s, "data:")
	if !ok {
		return "", nil, errors.New("data must be a base64 data URL (data:<mime>;base64,...)")
	}
	header, payload, ok := strings.Cut(rest, ",")
	if !ok || !strings.HasSuffix(header, ";base64") {
		return "", nil, errors.New("data must be a base64 data URL (data:<mime>;base64,...)")
	}
	m := baseMIME(header)
	if m == "" || !strings.Contains(m, "/") {
		return "", nil, errors.New("the data URL has no media type")
	}
	data, err := base64.StdEncoding.Strict().DecodeString(payload)
	if err != nil {
		return "", nil, fmt.Errorf("the data URL's base64 is corrupt: %v", err)
	}
	return m, data, nil
}

// storeUploads writes the files under <chatflowId>/<chatId>/. On failure
// it removes what it wrote, so a request stores all of its files or none.
// The returned function deletes them again (a prediction that fails).
func (s *Server) storeUploads(ctx context.Context, chatflowID, chatID string, files []pendingFile) (func(), error) {
	var done []blob.Key
	undo := func() {
		for _, k := range done {
			if err := s.blobs.Delete(context.WithoutCancel(ctx), k); err != nil {
				s.log.WarnContext(ctx, "removing an upload", "chatflow", chatflowID, "file", k.Name, "err", err)
			}
		}
	}
	for _, f := range files {
		k := blob.Key{ChatflowID: chatflowID, ChatID: chatID, Name: f.name}
		if err := s.blobs.Put(ctx, k, f.data); err != nil {
			undo()
			if errors.Is(err, blob.ErrInvalidName) {
				return nil, errorf(http.StatusBadRequest, "%v", err)
			}
			return nil, fmt.Errorf("storing upload %q: %w", f.name, err)
		}
		done = append(done, k)
	}
	return undo, nil
}

// transcribe runs the chatflow's speech-to-text provider on each audio
// upload and returns the last non-empty transcript ("" when speech to
// text is off: Flowise then keeps the typed question).
func (s *Server) transcribe(ctx context.Context, cf *store.ChatFlow, audio []pendingFile) (string, error) {
	if len(audio) == 0 {
		return "", nil
	}
	cfg, on, err := speechtotext.ParseConfig(deref(cf.SpeechToText))
	if err != nil {
		return "", errorf(http.StatusBadRequest, "chatflow %s: its speech to text setting is invalid: %v", cf.ID, err)
	}
	if !on {
		return "", nil
	}
	text := ""
	for _, a := range audio {
		t, err := s.stt.Transcribe(ctx, cfg, speechtotext.Audio{Data: a.data, MIME: a.mime, Name: a.name})
		switch {
		case errors.Is(err, speechtotext.ErrUnsupportedAudio):
			return "", errorf(http.StatusBadRequest, "%v", err)
		case errors.Is(err, context.Canceled):
			return "", err
		case err != nil:
			s.log.WarnContext(ctx, "speech to text", "chatflow", cf.ID, "provider", cfg.Provider, "err", err)
			return "", errorf(http.StatusBadGateway, "speech to text (%s): %v", cfg.Provider, err)
		}
		text = t
	}
	return text, nil
}
