package embeddings

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/floehq/floe/internal/node"
)

// Input names shared by several embedding nodes, as Flowise spells them.
const (
	inModelName     = "modelName"
	inStripNewLines = "stripNewLines"
	inBatchSize     = "batchSize"
	inTimeout       = "timeout"
	inBasepath      = "basepath"
	inBaseOptions   = "baseOptions"
	inDimensions    = "dimensions"
	inEncoding      = "encodingFormat"
)

// Texts repeated across specs.
const (
	category        = "Embeddings"
	credentialLabel = "Connect Credential"
	descBasepath    = `Override the default base URL for the API, e.g., "https://api.example.com/v2/`
	descBaseOptions = "Default headers to include with every request to the API."
)

// getenv reads the environment variables the nodes consult: the vendor
// base URL overrides (OPENAI_BASE_URL, ...) and Azure's credential
// fallbacks. Tests replace it so they never depend on the process
// environment.
var getenv = os.Getenv

// baseURL picks a vendor base URL: the node's input when set, else the
// environment variable env, else def. Trailing slashes are dropped.
func baseURL(input, env, def string) string {
	for _, u := range []string{input, getenv(env), def} {
		if u = strings.TrimSpace(u); u != "" {
			return strings.TrimRight(u, "/")
		}
	}
	return ""
}

// readStrings reads string inputs, "" for absent ones, in order.
func readStrings(data *node.Data, names ...string) ([]string, error) {
	out := make([]string, len(names))
	for i, name := range names {
		var err error
		if out[i], err = data.String(name, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// positive reads an optional whole-number input, as Flowise's
// `if (x) obj.x = parseInt(x)` does: absent, zero and negative values give
// fallback.
func positive(data *node.Data, name string, fallback int) (int, error) {
	n, err := data.Int(name, 0)
	if err != nil {
		return 0, err
	}
	if n <= 0 {
		return fallback, nil
	}
	return n, nil
}

// timeout reads a timeout input in milliseconds; zero means none.
func timeout(data *node.Data) (time.Duration, error) {
	ms, err := positive(data, inTimeout, 0)
	return time.Duration(ms) * time.Millisecond, err
}

// headers reads a json input holding extra request headers (Flowise's
// baseOptions, passed to the OpenAI client as defaultHeaders). Non-string
// values are formatted.
func headers(data *node.Data, name string) (map[string]string, error) {
	var raw map[string]any
	if err := data.JSON(name, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			out[k] = fmt.Sprint(v)
		}
	}
	return out, nil
}

// providerError turns an error of an internal/provider client, which
// already begins with the vendor's name, into the error Embed returns:
// ctx.Err() when the caller's context is done, else e.g.
// "ollamaEmbedding: calling ollama: embed: 404 Not Found: ...".
func providerError(ctx context.Context, nodeName string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return fmt.Errorf("%s: calling %w", nodeName, err)
}
