package speechtotext

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Provider names a speech-to-text vendor as the keys of a chatflow's
// speechToText JSON do.
type Provider string

// The providers Floe runs, named as Flowise names them
// (packages/components/src/speechToText.ts).
const (
	OpenAIWhisper  Provider = "openAIWhisper"
	GroqWhisper    Provider = "groqWhisper"
	LocalAI        Provider = "localAISTT"
	AzureCognitive Provider = "azureCognitive"
	AssemblyAI     Provider = "assemblyAiTranscribe"
)

// none is the key the Flowise UI stores when speech to text is switched off.
const none = "none"

// awsTranscribe is a Flowise provider Floe does not implement: it needs an
// S3 bucket and the AWS Transcribe job API.
const awsTranscribe = "awsTranscribe"

// ErrUnknownProvider reports an enabled provider Floe cannot run.
var ErrUnknownProvider = errors.New("speechtotext: unknown provider")

// Config is the enabled provider of a chatflow's speechToText, with the
// options Flowise's UI stores for it (packages/ui/src/ui-component/extended/
// SpeechToText.jsx). Options a provider does not use are ignored by it.
type Config struct {
	// Provider is the enabled provider.
	Provider Provider
	// CredentialID names the stored credential: openAIApi, groqApi,
	// localAIApi, azureCognitiveServices or assemblyAIApi. Empty means no
	// credential (only localAISTT works without one).
	CredentialID string
	// Language is the audio's language: an ISO-639-1 code for the
	// Whisper-style providers (empty lets the model detect it), a locale
	// such as "en-US" for azureCognitive (empty means "en-US").
	Language string
	// Prompt guides the Whisper-style providers' style; empty sends none.
	Prompt string
	// Temperature is the sampling temperature of the Whisper-style
	// providers; nil sends none.
	Temperature *float64
	// Model is the model of groqWhisper (empty means whisper-large-v3) and
	// localAISTT (empty means whisper-1).
	Model string
	// BaseURL is localAISTT's server, up to and including /v1.
	BaseURL string
	// ProfanityFilterMode is azureCognitive's None, Masked or Removed; empty
	// means Masked.
	ProfanityFilterMode string
	// Channels are the audio channels azureCognitive transcribes; nil means
	// 0 and 1.
	Channels []int
}

// Option keys inside a provider's object, as the Flowise UI saves them.
const (
	keyStatus       = "status"
	keyCredentialID = "credentialId"
	keyLanguage     = "language"
	keyPrompt       = "prompt"
	keyTemperature  = "temperature"
	keyModel        = "model"
	keyBaseURL      = "baseUrl"
	keyProfanity    = "profanityFilterMode"
	keyChannels     = "channels"
)

// ParseConfig reads a chatflow's speechToText JSON, e.g.
// {"openAIWhisper":{"status":true,"credentialId":"…","language":"en"}}, and
// returns the first provider, in document order, whose status is true (a
// JSON boolean or the string "true"), as Flowise's buildChatflow does. The
// "none" entry is skipped. enabled is false, with a nil error, for an empty
// string, null, {} or no enabled provider. An enabled provider Floe does
// not know gives an error wrapping [ErrUnknownProvider]; disabled ones are
// ignored, whatever their name. Option values may be JSON strings, numbers
// or booleans; a temperature or channel list that does not parse is an
// error.
func ParseConfig(raw string) (Config, bool, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return Config{}, false, nil
	}
	entries, err := orderedObject([]byte(raw))
	if err != nil {
		return Config{}, false, fmt.Errorf("parsing speechToText: %w", err)
	}
	for _, e := range entries {
		if e.key == none {
			continue
		}
		var opts map[string]json.RawMessage
		if err := json.Unmarshal(e.value, &opts); err != nil || opts == nil {
			continue // not an object: Flowise reads no status from it either
		}
		if !isTrue(opts[keyStatus]) {
			continue
		}
		cfg, err := providerConfig(Provider(e.key), opts)
		if err != nil {
			return Config{}, false, fmt.Errorf("parsing speechToText: %w", err)
		}
		return cfg, true, nil
	}
	return Config{}, false, nil
}

// providerConfig reads the options of the enabled provider p.
func providerConfig(p Provider, opts map[string]json.RawMessage) (Config, error) {
	switch p {
	case OpenAIWhisper, GroqWhisper, LocalAI, AzureCognitive, AssemblyAI:
	case awsTranscribe:
		return Config{}, fmt.Errorf("%w %q: Floe does not implement AWS Transcribe", ErrUnknownProvider, p)
	default:
		return Config{}, fmt.Errorf("%w %q", ErrUnknownProvider, p)
	}
	cfg := Config{
		Provider:            p,
		CredentialID:        scalar(opts[keyCredentialID]),
		Language:            scalar(opts[keyLanguage]),
		Prompt:              scalar(opts[keyPrompt]),
		Model:               scalar(opts[keyModel]),
		BaseURL:             scalar(opts[keyBaseURL]),
		ProfanityFilterMode: scalar(opts[keyProfanity]),
	}
	if s := scalar(opts[keyTemperature]); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Config{}, fmt.Errorf("%s: temperature %q is not a number", p, s)
		}
		cfg.Temperature = &f
	}
	if s := scalar(opts[keyChannels]); s != "" {
		for part := range strings.SplitSeq(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil || n < 0 {
				return Config{}, fmt.Errorf("%s: channels %q is not a comma-separated list of channel numbers", p, s)
			}
			cfg.Channels = append(cfg.Channels, n)
		}
	}
	return cfg, nil
}

type entry struct {
	key   string
	value json.RawMessage
}

// orderedObject decodes a JSON object into its members in document order.
func orderedObject(raw []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	var out []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string) // object keys are always strings
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("reading %q: %w", key, err)
		}
		out = append(out, entry{key, v})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("data after the JSON object")
	}
	return out, nil
}

// isTrue reports whether a status value is the boolean true or the string
// "true" (any case).
func isTrue(v json.RawMessage) bool {
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return strings.EqualFold(strings.TrimSpace(s), "true")
	}
	return false
}

// scalar returns an option value as trimmed text: a string as is, a number
// or boolean as its JSON literal, anything else (absent, null, objects) as "".
func scalar(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return ""
	}
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(v)
	}
	return ""
}
