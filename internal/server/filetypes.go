package server

import (
	"path"
	"strings"
)

// mimeExtensions maps each media type Floe accepts in uploads to the file
// name extensions that may carry it. It follows Flowise's
// validateMimeTypeAndExtensionMatch (reference §5.6), whose jpeg→jpg,
// tif→tiff and oga→ogg equivalences appear here as extra extensions.
var mimeExtensions = map[string][]string{
	"text/plain":             {"txt"},
	"text/html":              {"html", "htm"},
	"text/css":               {"css"},
	"text/javascript":        {"js"},
	"application/javascript": {"js"},
	"text/xml":               {"xml"},
	"application/xml":        {"xml"},
	"text/markdown":          {"md", "markdown"},
	"text/x-markdown":        {"md", "markdown"},
	"application/pdf":        {"pdf"},
	"application/json":       {"json"},
	"text/csv":               {"csv"},
	"application/jsonl":      {"jsonl"},
	"application/json-lines": {"jsonl"},
	"text/jsonl":             {"jsonl"},
	"application/x-yaml":     {"yaml", "yml"},
	"application/yaml":       {"yaml", "yml"},
	"text/yaml":              {"yaml", "yml"},
	"application/sql":        {"sql"},
	"application/msword":     {"doc"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
	"application/vnd.ms-excel": {"xls"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {"xlsx"},
	"application/vnd.ms-powerpoint":                                             {"ppt"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
	"application/rtf": {"rtf"},
	"image/jpeg":      {"jpg", "jpeg"},
	"image/png":       {"png"},
	"image/gif":       {"gif"},
	"image/webp":      {"webp"},
	"image/svg+xml":   {"svg"},
	"image/bmp":       {"bmp"},
	"image/tiff":      {"tiff", "tif"},
	"image/x-icon":    {"ico"},
	"image/avif":      {"avif"},
	"audio/webm":      {"webm"},
	"audio/mp4":       {"m4a", "mp4"},
	"audio/x-m4a":     {"m4a"},
	"audio/mpeg":      {"mp3", "mpeg"},
	"audio/ogg":       {"ogg", "oga", "opus"},
	"audio/wav":       {"wav"},
	"audio/x-wav":     {"wav"},
	"audio/wave":      {"wav"},
	"audio/aac":       {"aac"},
	"audio/flac":      {"flac"},
	"video/mp4":       {"mp4"},
	"video/quicktime": {"mov"},
	"video/x-msvideo": {"avi"},
	"video/webm":      {"webm"},
}

// imageUploadTypes are the image types chat users may attach (Flowise's
// imgUploadSizeAndTypes).
var imageUploadTypes = []string{"image/gif", "image/jpeg", "image/png", "image/webp"}

// audioUploadTypes are the recordings speech to text accepts: Flowise's
// webm, mp4 and ogg, plus wav and mpeg, which Flowise skips.
var audioUploadTypes = map[string]bool{
	"audio/webm": true, "audio/mp4": true, "audio/x-m4a": true, "audio/ogg": true,
	"audio/wav": true, "audio/x-wav": true, "audio/wave": true, "audio/mpeg": true,
}

// fullFileUploadTypes is Flowise's fixed allow-list for full-file uploads
// (ALLOWED_UPLOAD_MIME_TYPES); a chatflow narrows it further with
// chatbotConfig.fullFileUpload.allowedUploadFileTypes.
var fullFileUploadTypes = map[string]bool{
	"text/css": true, "text/csv": true, "text/html": true, "application/json": true, "text/markdown": true,
	"application/x-yaml": true, "application/pdf": true, "application/sql": true, "text/plain": true,
	"application/xml": true, "application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
}

// baseMIME lower-cases a media type and drops its parameters.
func baseMIME(m string) string {
	m, _, _ = strings.Cut(m, ";")
	return strings.ToLower(strings.TrimSpace(m))
}

// extensionOf returns name's lower-cased extension without the dot.
func extensionOf(name string) string {
	return strings.TrimPrefix(strings.ToLower(path.Ext(name)), ".")
}

// mimeMatchesName reports whether name's extension is one that media
// type m may carry; an unknown type never matches.
func mimeMatchesName(m, name string) bool {
	ext := extensionOf(name)
	if ext == "" {
		return false
	}
	for _, e := range mimeExtensions[baseMIME(m)] {
		if e == ext {
			return true
		}
	}
	return false
}

// contentTypeOf returns the media type to serve a stored file with, from
// its extension (application/octet-stream when unknown).
func contentTypeOf(name string) string {
	ext := extensionOf(name)
	best := ""
	for m, exts := range mimeExtensions {
		for _, e := range exts {
			// Prefer the canonical type when several carry ext.
			if e == ext && (best == "" || preferredMIME[m]) {
				best = m
			}
		}
	}
	if best == "" {
		return "application/octet-stream"
	}
	if strings.HasPrefix(best, "text/") {
		return best + "; charset=utf-8"
	}
	return best
}

// preferredMIME breaks ties in contentTypeOf where an extension maps to
// several types.
var preferredMIME = map[string]bool{
	"text/javascript": true, "application/xml": true, "text/markdown": true, "application/jsonl": true,
	"application/x-yaml": true, "audio/mp4": true, "audio/wav": true, "audio/webm": true,
}
