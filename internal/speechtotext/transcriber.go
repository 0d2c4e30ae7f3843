// Package speechtotext transcribes audio uploads as Flowise's chatflow
// speech-to-text setting does (packages/components/src/speechToText.ts):
// [ParseConfig] reads a chatflow's speechToText JSON and a [Transcriber]
// sends the audio to the enabled provider: OpenAI Whisper, Groq Whisper,
// LocalAI, Azure AI Speech fast transcription or AssemblyAI.
//
// Each vendor is called over its REST API with the *http.Client the
// Transcriber was built with. Base URLs default to the vendors' public
// endpoints; the environment variables OPENAI_BASE_URL, GROQ_BASE_URL,
// LOCALAI_BASE_URL, AZURE_SPEECH_BASE_URL and ASSEMBLYAI_BASE_URL override
// them.
package speechtotext

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
)

// ErrNoText reports a transcription that came back empty. Its message is
// unprefixed because it reaches API clients as is.
var ErrNoText = errors.New("speech to text returned no text")

// Credentials returns the decrypted fields of a stored credential; an
// unknown id is an error. It has the shape of node.CredentialResolver.
type Credentials interface {
	Credential(ctx context.Context, id string) (map[string]any, error)
}

// Audio is one recorded upload.
type Audio struct {
	// Data holds the encoded audio.
	Data []byte
	// MIME is the upload's media type, e.g. "audio/webm;codecs=opus";
	// parameters are ignored. Empty means: guess from Name's extension.
	MIME string
	// Name is the upload's file name; its extension is corrected to match
	// MIME before it is sent, and empty means "audio".
	Name string
}

// Defaults of [Transcriber]'s AssemblyAI polling.
const (
	DefaultPollInterval = 3 * time.Second
	DefaultPollTimeout  = 3 * time.Minute
)

// Transcriber runs one transcription per [Transcriber.Transcribe] call. Set
// its exported fields before first use; it is then safe for concurrent use.
type Transcriber struct {
	// Logger receives debug logs; nil means slog.Default().
	Logger *slog.Logger
	// PollInterval is the wait between AssemblyAI status requests; zero
	// means DefaultPollInterval.
	PollInterval time.Duration
	// PollTimeout bounds a whole AssemblyAI transcription (upload, submit
	// and polling); zero means DefaultPollTimeout.
	PollTimeout time.Duration
	// Getenv reads the base-URL environment variables; nil means os.Getenv.
	Getenv func(string) string

	creds Credentials
	hc    *http.Client
}

// New returns a Transcriber that resolves credentials with creds and sends
// requests with hc (nil means http.DefaultClient).
func New(hc *http.Client, creds Credentials) *Transcriber {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Transcriber{creds: creds, hc: hc}
}

// Transcribe returns the text spoken in audio, as transcribed by
// cfg.Provider with cfg's options, trimmed of surrounding space. It never
// returns "" with a nil error: an empty transcription is [ErrNoText]. A
// vendor's error answer is an [*APIError]; an audio type no provider
// accepts is [ErrUnsupportedAudio]. Errors name the provider. Cancelling
// ctx abandons the call.
func (t *Transcriber) Transcribe(ctx context.Context, cfg Config, audio Audio) (string, error) {
	start := time.Now()
	text, err := t.transcribe(ctx, cfg, audio)
	if err != nil {
		return "", fmt.Errorf("transcribing audio with %s: %w", cfg.Provider, err)
	}
	t.logger().DebugContext(ctx, "speech to text", "provider", cfg.Provider, "bytes", len(audio.Data),
		"mime", audio.MIME, "elapsed", time.Since(start), "chars", len(text))
	return text, nil
}

func (t *Transcriber) transcribe(ctx context.Context, cfg Config, audio Audio) (string, error) {
	if len(audio.Data) == 0 {
		return "", errors.New("the audio is empty")
	}
	file, err := newAudioFile(audio)
	if err != nil {
		return "", err
	}
	cred, err := t.credential(ctx, cfg.CredentialID)
	if err != nil {
		return "", err
	}
	var text string
	switch cfg.Provider {
	case OpenAIWhisper, GroqWhisper, LocalAI:
		text, err = t.whisper(ctx, cfg, cred, file)
	case AzureCognitive:
		text, err = t.azure(ctx, cfg, cred, file)
	case AssemblyAI:
		text, err = t.assemblyAI(ctx, cred, file)
	default:
		return "", fmt.Errorf("%w %q", ErrUnknownProvider, cfg.Provider)
	}
	if err != nil {
		return "", err
	}
	if text = strings.TrimSpace(text); text == "" {
		return "", ErrNoText
	}
	return text, nil
}

// credential returns the fields of credential id; an empty id has none, as
// Flowise's getCredentialData(”) returns {}.
func (t *Transcriber) credential(ctx context.Context, id string) (map[string]any, error) {
	if id == "" {
		return map[string]any{}, nil
	}
	if t.creds == nil {
		return nil, fmt.Errorf("reading credential %q: no credential store", id)
	}
	m, err := t.creds.Credential(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("reading credential %q: %w", id, err)
	}
	return m, nil
}

// credString returns a credential field as text; "" when absent.
func credString(cred map[string]any, key string) string {
	switch v := cred[key].(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}

// requireCred returns a credential field that must be present.
func requireCred(cred map[string]any, key string) (string, error) {
	if v := credString(cred, key); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("the credential has no %s", key)
}

// baseURL returns the env override of a vendor's base URL, else def,
// without a trailing slash.
func (t *Transcriber) baseURL(env, def string) string {
	getenv := t.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := strings.TrimSpace(getenv(env)); v != "" {
		def = v
	}
	return strings.TrimRight(def, "/")
}

func (t *Transcriber) logger() *slog.Logger {
	if t.Logger != nil {
		return t.Logger
	}
	return slog.Default()
}
