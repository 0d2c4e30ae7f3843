package llmtest

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"unicode"
)

// DefaultDims is the size of the vectors the fake provider returns when a
// request does not ask for a size.
const DefaultDims = 64

// Embed is the fake provider's embedding: a bag-of-words hash. The text is
// lowercased and split into words (runs of letters and digits); each word
// adds one to the bucket its FNV-1a hash selects among dims, and the counts
// are scaled to unit length. Texts sharing words therefore have a high
// cosine similarity, and unrelated texts a low one (up to hash
// collisions). A text without words maps to the zero vector. dims <= 0
// means [DefaultDims]. Embed is deterministic and safe for concurrent use.
func Embed(text string, dims int) []float32 {
	if dims <= 0 {
		dims = DefaultDims
	}
	v := make([]float32, dims)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		h := fnv.New32a()
		_, _ = h.Write([]byte(w))
		v[h.Sum32()%uint32(dims)]++
	}
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v
	}
	norm := float32(math.Sqrt(sum))
	for i := range v {
		v[i] /= norm
	}
	return v
}

// serveEmbeddings answers embedding requests in each vendor's format and
// reports whether it handled the request. The vectors are deterministic
// bag-of-words hashes (see Embed), so texts sharing words are similar.
//
// Paths, by vendor:
//   - OpenAI and compatible servers (Azure deployments, Mistral, Together,
//     LocalAI, Voyage): POST .../embeddings with "input" (a string or a
//     list); "dimensions" (or Voyage's "output_dimension") sets the size and
//     "encoding_format": "base64" returns base64 strings of little-endian
//     float32 values, as the OpenAI API does;
//   - Ollama: POST /api/embed ("input") and the legacy /api/embeddings
//     ("prompt");
//   - Gemini: POST .../models/<m>:batchEmbedContents and :embedContent,
//     with outputDimensionality;
//   - Cohere: POST /v1/embed and /v2/embed ("texts"), answering by type
//     when "embedding_types" is set.
func (p *Provider) serveEmbeddings(w http.ResponseWriter, r *http.Request, body map[string]any) bool {
	path := r.URL.Path
	switch {
	case strings.HasSuffix(path, "/api/embed"):
		p.ollamaEmbed(w, body)
	case strings.HasSuffix(path, "/api/embeddings") && body["prompt"] != nil:
		p.ollamaLegacyEmbed(w, body)
	case strings.HasSuffix(path, "/embeddings"):
		p.openAIEmbed(w, body)
	case strings.HasSuffix(path, ":batchEmbedContents"):
		p.geminiBatchEmbed(w, body)
	case strings.HasSuffix(path, ":embedContent"):
		p.geminiEmbed(w, body)
	case strings.HasSuffix(path, "/v1/embed"), strings.HasSuffix(path, "/v2/embed"):
		p.cohereEmbed(w, path, body)
	default:
		return false
	}
	return true
}

// stringList reads a field holding a string or a list of strings.
func stringList(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// intField reads a positive integer field, or returns 0.
func intField(body map[string]any, key string) int {
	if f, ok := body[key].(float64); ok && f > 0 {
		return int(f)
	}
	return 0
}

// countTokens is the fake's token count of texts: their words.
func countTokens(texts []string) int {
	n := 0
	for _, t := range texts {
		n += len(strings.Fields(t))
	}
	return n
}

// invalid answers 400 with an OpenAI-style error body.
func invalid(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(mustJSON(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error"}})))
}

func (p *Provider) openAIEmbed(w http.ResponseWriter, body map[string]any) {
	texts := stringList(body["input"])
	if len(texts) == 0 {
		invalid(w, "'input' is a required property")
		return
	}
	dims := max(intField(body, "dimensions"), intField(body, "output_dimension"))
	b64 := body["encoding_format"] == "base64"
	data := make([]any, len(texts))
	for i, t := range texts {
		var vec any = Embed(t, dims)
		if b64 {
			vec = base64Floats(vec.([]float32))
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": vec}
	}
	n := countTokens(texts)
	model, _ := body["model"].(string)
	writeJSON(w, map[string]any{
		"object": "list", "data": data, "model": model,
		"usage": map[string]any{"prompt_tokens": n, "total_tokens": n},
	})
}

// base64Floats encodes v as the OpenAI API's base64 embeddings: the
// little-endian bytes of each float32.
func base64Floats(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (p *Provider) ollamaEmbed(w http.ResponseWriter, body map[string]any) {
	texts := stringList(body["input"])
	dims := intField(body, "dimensions")
	vecs := make([][]float32, len(texts))
	for i, t := range texts {
		vecs[i] = Embed(t, dims)
	}
	model, _ := body["model"].(string)
	writeJSON(w, map[string]any{
		"model": model, "embeddings": vecs,
		"total_duration": 1000, "load_duration": 100, "prompt_eval_count": countTokens(texts),
	})
}

func (p *Provider) ollamaLegacyEmbed(w http.ResponseWriter, body map[string]any) {
	prompt, _ := body["prompt"].(string)
	writeJSON(w, map[string]any{"embedding": Embed(prompt, 0)})
}

// geminiText joins the text parts of a Gemini content object.
func geminiText(content any) string {
	c, _ := content.(map[string]any)
	return contentText(c["parts"])
}

func (p *Provider) geminiBatchEmbed(w http.ResponseWriter, body map[string]any) {
	reqs, _ := body["requests"].([]any)
	embs := make([]any, len(reqs))
	for i, rq := range reqs {
		m, _ := rq.(map[string]any)
		embs[i] = map[string]any{"values": Embed(geminiText(m["content"]), intField(m, "outputDimensionality"))}
	}
	writeJSON(w, map[string]any{"embeddings": embs})
}

func (p *Provider) geminiEmbed(w http.ResponseWriter, body map[string]any) {
	writeJSON(w, map[string]any{"embedding": map[string]any{"values": Embed(geminiText(body["content"]), intField(body, "outputDimensionality"))}})
}

func (p *Provider) cohereEmbed(w http.ResponseWriter, path string, body map[string]any) {
	texts := stringList(body["texts"])
	dims := intField(body, "output_dimension")
	vecs := make([][]float32, len(texts))
	for i, t := range texts {
		vecs[i] = Embed(t, dims)
	}
	version := "1"
	if strings.HasSuffix(path, "/v2/embed") {
		version = "2"
	}
	out := map[string]any{
		"id": "embed-fake", "texts": texts,
		"meta": map[string]any{"api_version": map[string]any{"version": version}, "billed_units": map[string]any{"input_tokens": countTokens(texts)}},
	}
	if _, byType := body["embedding_types"]; byType || version == "2" {
		out["embeddings"] = map[string]any{"float": vecs}
		out["response_type"] = "embeddings_by_type"
	} else {
		out["embeddings"] = vecs
		out["response_type"] = "embeddings_floats"
	}
	writeJSON(w, out)
}
