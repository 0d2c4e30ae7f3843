package moderation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	credOpenAIAPIKey = "openAIApiKey"

	defaultOpenAIBaseURL = "https://api.openai.com/v1"
	// defaultOpenAIMessage is the runner's message when the node's is
	// empty (the message the UI pre-fills is the input's default).
	defaultOpenAIMessage = "Text was found that violates OpenAI's content policy."
)

// inputModerationOpenAI mirrors Flowise's OpenAIModeration
// (nodes/moderation/OpenAIModeration): input is sent to OpenAI's
// moderation endpoint and refused when it is flagged. Flowise has no base
// URL input; the endpoint is $OPENAI_BASE_URL/moderations, or OpenAI's.
var inputModerationOpenAI = node.Definition{
	Spec: node.Spec{
		Label:       "OpenAI Moderation",
		Name:        "inputModerationOpenAI",
		Version:     1,
		Type:        "Moderation",
		Icon:        "openai.svg",
		Category:    category,
		Description: "Check whether content complies with OpenAI usage policies.",
		BaseClasses: baseClasses,
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			CredentialNames: []string{"openAIApi"},
		},
		Inputs: []node.Param{
			{
				Label:    "Error Message",
				Name:     inErrorMessage,
				Type:     node.TypeString,
				Rows:     2,
				Default:  "Cannot Process! Input violates OpenAI's content moderation policies.",
				Optional: true,
			},
		},
	},
	Init: initInputModerationOpenAI,
}

// initInputModerationOpenAI reads the API key from the openAIApi
// credential; a missing key is an error.
func initInputModerationOpenAI(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	key, err := node.CredentialParam(ctx, data, rt, credOpenAIAPIKey)
	if err != nil {
		return nil, err
	}
	if key == "" {
		return nil, fmt.Errorf("node %q: OpenAI API key not found in the credential", data.ID)
	}
	msg, err := data.String(inErrorMessage, defaultOpenAIMessage)
	if err != nil {
		return nil, err
	}
	base := os.Getenv("OPENAI_BASE_URL")
	if base == "" {
		base = defaultOpenAIBaseURL
	}
	return &openAIModerator{
		client:  rt.Client(),
		url:     strings.TrimRight(base, "/") + "/moderations",
		apiKey:  key,
		message: msg,
	}, nil
}

// openAIModerator calls POST /moderations.
type openAIModerator struct {
	client  *http.Client
	url     string
	apiKey  string
	message string
}

// moderationResponse is the part of OpenAI's moderation response read.
type moderationResponse struct {
	Results []struct {
		Flagged bool `json:"flagged"`
	} `json:"results"`
}

// Check refuses input that OpenAI flags. Transport and API failures are
// errors that do not wrap [llm.ErrModerated].
func (m *openAIModerator) Check(ctx context.Context, input string) error {
	body, err := json.Marshal(map[string]string{"input": input})
	if err != nil {
		return fmt.Errorf("calling OpenAI moderation: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("calling OpenAI moderation: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+m.apiKey)
	resp, err := m.client.Do(req)
	if err != nil {
		return fmt.Errorf("calling OpenAI moderation: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("reading OpenAI moderation response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("calling OpenAI moderation: status %d: %s", resp.StatusCode, apiErrorMessage(raw))
	}
	var out moderationResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return fmt.Errorf("decoding OpenAI moderation response: %w", err)
	}
	if len(out.Results) == 0 {
		return errors.New("decoding OpenAI moderation response: no results")
	}
	if out.Results[0].Flagged {
		return &refusal{msg: m.message}
	}
	return nil
}

// apiErrorMessage returns error.message of an OpenAI error body, or the
// body itself, shortened.
func apiErrorMessage(raw []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s := strings.TrimSpace(string(raw))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

var _ llm.Moderator = (*openAIModerator)(nil)
