package speechtotext

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Azure defaults, as Flowise's azureCognitive case uses them.
const (
	azureAPIVersion = "2024-05-15-preview"
	azureLocale     = "en-US"
	azureProfanity  = "Masked"
)

// azureChannels is Flowise's default channel list ("0,1").
var azureChannels = []int{0, 1}

// azure calls Azure AI Speech fast transcription as Flowise does:
// POST https://{serviceRegion}.cognitiveservices.azure.com/speechtotext/
// transcriptions:transcribe?api-version={apiVersion}, multipart with the
// audio in "audio" and a JSON "definition" (locales, profanityFilterMode,
// channels), authenticated by the Ocp-Apim-Subscription-Key header. The
// azureCognitiveServices credential holds azureSubscriptionKey,
// serviceRegion and apiVersion (default 2024-05-15-preview).
// AZURE_SPEECH_BASE_URL replaces https://{serviceRegion}.cognitiveservices.azure.com.
// The text is that of the first non-empty combined phrase.
func (t *Transcriber) azure(ctx context.Context, cfg Config, cred map[string]any, a audioFile) (string, error) {
	key, err := requireCred(cred, "azureSubscriptionKey")
	if err != nil {
		return "", err
	}
	base := t.baseURL("AZURE_SPEECH_BASE_URL", "")
	if base == "" {
		region, err := requireCred(cred, "serviceRegion")
		if err != nil {
			return "", err
		}
		if !isDNSLabel(region) {
			return "", fmt.Errorf("the credential's serviceRegion %q is not a region name", region)
		}
		base = "https://" + region + ".cognitiveservices.azure.com"
	}
	version := cmp.Or(credString(cred, "apiVersion"), azureAPIVersion)

	channels := cfg.Channels
	if len(channels) == 0 {
		channels = azureChannels
	}
	definition, err := json.Marshal(azureDefinition{
		Locales:             []string{cmp.Or(cfg.Language, azureLocale)},
		ProfanityFilterMode: cmp.Or(cfg.ProfanityFilterMode, azureProfanity),
		Channels:            channels,
	})
	if err != nil {
		return "", fmt.Errorf("encoding the definition: %w", err)
	}
	f := newForm()
	f.file("audio", a)
	f.field("definition", string(definition))
	body, contentType, err := f.finish()
	if err != nil {
		return "", err
	}
	target := base + "/speechtotext/transcriptions:transcribe?api-version=" + url.QueryEscape(version)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Ocp-Apim-Subscription-Key", key)

	var out struct {
		CombinedPhrases []struct {
			Text string `json:"text"`
		} `json:"combinedPhrases"`
	}
	if err := t.send(req, AzureCognitive, &out); err != nil {
		return "", err
	}
	for _, p := range out.CombinedPhrases {
		if strings.TrimSpace(p.Text) != "" {
			return p.Text, nil
		}
	}
	return "", nil
}

// azureDefinition is the "definition" part of a fast transcription request.
type azureDefinition struct {
	Locales             []string `json:"locales"`
	ProfanityFilterMode string   `json:"profanityFilterMode"`
	Channels            []int    `json:"channels"`
}

// isDNSLabel reports whether s can stand as one host name label.
func isDNSLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}
