package speechtotext

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"path"
	"slices"
	"strings"
)

// ErrUnsupportedAudio reports an audio media type Floe does not transcribe.
var ErrUnsupportedAudio = errors.New("speechtotext: unsupported audio type")

// audioFormats are the media types Floe transcribes, with their aliases and
// the file extensions the vendors accept for them, the preferred one first.
// Flowise transcribes only webm, mp4 and ogg; Floe also takes wav and mpeg,
// which every provider here accepts.
var audioFormats = []struct {
	mime    string
	aliases []string
	exts    []string
}{
	{"audio/webm", nil, []string{"webm"}},
	{"audio/mp4", []string{"audio/m4a", "audio/x-m4a"}, []string{"m4a", "mp4"}},
	{"audio/ogg", []string{"application/ogg"}, []string{"ogg"}},
	{"audio/wav", []string{"audio/x-wav", "audio/wave", "audio/vnd.wave"}, []string{"wav"}},
	{"audio/mpeg", []string{"audio/mp3", "audio/mpeg3"}, []string{"mp3", "mpga", "mpeg"}},
}

// audioFile is an upload ready to send: its canonical media type and a
// file name whose extension matches it.
type audioFile struct {
	data []byte
	mime string
	name string
}

// newAudioFile checks a's media type (or, without one, its extension) and
// fixes its file name's extension.
func newAudioFile(a Audio) (audioFile, error) {
	base := path.Base(strings.ReplaceAll(a.Name, `\`, "/"))
	if base == "." || base == "/" {
		base = ""
	}
	base = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, base)
	stem, ext := base, ""
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		stem, ext = base[:i], strings.ToLower(base[i+1:])
	}
	if stem == "" {
		stem = "audio"
	}

	media := strings.TrimSpace(a.MIME)
	if media != "" {
		mt, _, err := mime.ParseMediaType(media)
		if err != nil {
			return audioFile{}, fmt.Errorf("%w %q", ErrUnsupportedAudio, a.MIME)
		}
		media = mt
	}
	for _, f := range audioFormats {
		var match bool
		if media == "" {
			match = slices.Contains(f.exts, ext)
		} else {
			match = media == f.mime || slices.Contains(f.aliases, media)
		}
		if !match {
			continue
		}
		if !slices.Contains(f.exts, ext) {
			ext = f.exts[0]
		}
		return audioFile{data: a.Data, mime: f.mime, name: stem + "." + ext}, nil
	}
	if media == "" {
		return audioFile{}, fmt.Errorf("%w: no media type, and the file name %q has no audio extension", ErrUnsupportedAudio, a.Name)
	}
	return audioFile{}, fmt.Errorf("%w %q (want audio/webm, audio/mp4, audio/ogg, audio/wav or audio/mpeg)", ErrUnsupportedAudio, a.MIME)
}

// form builds a multipart/form-data body.
type form struct {
	buf bytes.Buffer
	w   *multipart.Writer
	err error
}

func newForm() *form {
	f := &form{}
	f.w = multipart.NewWriter(&f.buf)
	return f
}

// file adds the audio as a file part named field.
func (f *form) file(field string, a audioFile) {
	if f.err != nil {
		return
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition(field, a.name))
	h.Set("Content-Type", a.mime)
	w, err := f.w.CreatePart(h)
	if err == nil {
		_, err = w.Write(a.data)
	}
	f.err = err
}

// field adds a text field; an empty value is left out.
func (f *form) field(name, value string) {
	if f.err != nil || value == "" {
		return
	}
	f.err = f.w.WriteField(name, value)
}

// finish closes the body and returns it with its Content-Type.
func (f *form) finish() ([]byte, string, error) {
	if f.err == nil {
		f.err = f.w.Close()
	}
	if f.err != nil {
		return nil, "", fmt.Errorf("building the multipart body: %w", f.err)
	}
	return f.buf.Bytes(), f.w.FormDataContentType(), nil
}
