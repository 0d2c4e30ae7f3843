package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/nodes/all"
)

// ragFlow is a text file loader, a recursive splitter, OpenAI embeddings
// (the fake) and the embedded vector store, as Flowise flowData.
func ragFlow(fakeURL, credID, collection string, chunkSize, dims int) string {
	n := func(id, name, cat string, inputs map[string]any) map[string]any {
		return map[string]any{"id": id, "type": "customNode", "data": map[string]any{"id": id, "name": name, "label": name, "category": cat, "inputs": inputs, "credential": credID}}
	}
	doc := map[string]any{
		"nodes": []any{
			n("recursiveCharacterTextSplitter_0", "recursiveCharacterTextSplitter", "Text Splitters", map[string]any{"chunkSize": chunkSize, "chunkOverlap": 0}),
			n("textFile_0", "textFile", "Document Loaders", map[string]any{"textSplitter": "{{recursiveCharacterTextSplitter_0.data.instance}}"}),
			n("openAIEmbeddings_0", "openAIEmbeddings", "Embeddings", map[string]any{"basepath": fakeURL + "/v1", "dimensions": dims, "batchSize": 512}),
			n("embeddedVectorStore_0", "embeddedVectorStore", "Vector Stores", map[string]any{"document": []any{"{{textFile_0.data.instance}}"},
				"embeddings": "{{openAIEmbeddings_0.data.instance}}", "collectionName": collection}),
			n("retrievalQAChain_0", "retrievalQAChain", "Chains", map[string]any{"model": "", "vectorStoreRetriever": "{{embeddedVectorStore_0.data.instance}}"}),
		},
		"edges": []any{
			map[string]any{"id": "e1", "source": "recursiveCharacterTextSplitter_0", "target": "textFile_0"},
			map[string]any{"id": "e2", "source": "textFile_0", "target": "embeddedVectorStore_0"},
			map[string]any{"id": "e3", "source": "openAIEmbeddings_0", "target": "embeddedVectorStore_0"},
			map[string]any{"id": "e4", "source": "embeddedVectorStore_0", "target": "retrievalQAChain_0"},
		},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// corpus makes n bytes of varied English-like text in paragraphs.
func corpus(n int) []byte {
	words := strings.Fields("river mountain engine signal harbor lantern orchard velvet quartz meadow copper falcon bridge winter garden silver thunder market ribbon canyon anchor violet paper marble rocket forest candle saddle window cobalt")
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < n {
		for s := 0; s < 4; s++ {
			for w := 0; w < 12; w++ {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(words[r.IntN(len(words))])
			}
			b.WriteString(". ")
		}
		b.WriteString("\n\n")
	}
	return b.Bytes()[:n]
}

func upsertFile(c *http.Client, base, id, name string, data []byte) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("files", name)
	fw.Write(data)
	mw.Close()
	r, err := c.Post(base+"/api/v1/vector/upsert/"+id, mw.FormDataContentType(), &buf)
	if err != nil {
		return 0, err
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 {
		return 0, fmt.Errorf("upsert: %d %s", r.StatusCode, body)
	}
	var out struct{ NumAdded int }
	err = json.Unmarshal(body, &out)
	return out.NumAdded, err
}

// ragBench measures upsert throughput into the embedded store, query
// latency once it holds the chunks, and RSS across many upsert calls.
func ragBench(client *http.Client, base string, pid int, fake *llmtest.Provider, dataDir string, mb, calls int) error {
	var cred struct{ ID string }
	if err := postJSON(client, base+"/api/v1/credentials", map[string]any{"name": "openai", "credentialName": "openAIApi", "plainDataObj": map[string]any{"openAIApiKey": "sk"}}, &cred); err != nil {
		return err
	}
	apiConfig := `{"overrideConfig":{"status":true,"nodes":{"textFile":[{"name":"txtFile","enabled":true}]}}}`
	var cf struct{ ID string }
	if err := postJSON(client, base+"/api/v1/chatflows", map[string]any{"name": "rag-bench", "flowData": ragFlow(fake.URL, cred.ID, "bench", 100, 1536), "apiConfig": apiConfig}, &cf); err != nil {
		return err
	}
	fmt.Printf("\nRAG: text file → recursive splitter (100 chars) → fake OpenAI embeddings (1536 dims, 0 ms) → embedded store\n")
	// RSS across many small upserts (Flowise grows by gigabytes, #4479).
	smallDoc := corpus(2 << 10)
	var small struct{ ID string }
	if err := postJSON(client, base+"/api/v1/chatflows", map[string]any{"name": "rag-bench-small", "flowData": ragFlow(fake.URL, cred.ID, "small", 100, 1536), "apiConfig": apiConfig}, &small); err != nil {
		return err
	}
	before := rssMiB(pid)
	t0 := time.Now()
	var marks []string
	for i := 0; i < calls; i++ {
		if _, err := upsertFile(client, base, small.ID, fmt.Sprintf("doc-%d.txt", i%50), smallDoc); err != nil {
			return err
		}
		if (i+1)%(max(calls/6, 1)) == 0 {
			marks = append(marks, fmt.Sprintf("%d: %.1f", i+1, rssMiB(pid)))
		}
	}
	dbSize := dirMiB(dataDir)
	fmt.Printf("%d upsert calls of 2 KiB in %v: RSS %.1f → %.1f MiB (store files on disk: %.1f MiB)\n", calls, time.Since(t0).Round(time.Millisecond), before, rssMiB(pid), dbSize)
	fmt.Printf("  RSS (MiB) after n calls: %s\n", strings.Join(marks, ", "))

	rss0 := rssMiB(pid)
	data := corpus(mb << 20)
	t0 = time.Now()
	n, err := upsertFile(client, base, cf.ID, "corpus.txt", data)
	if err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("upsert of a %d MiB corpus: %d chunks in %v = %.0f chunks/s; RSS %.1f → %.1f MiB\n", mb, n, el.Round(time.Millisecond), float64(n)/el.Seconds(), rss0, rssMiB(pid))

	// Query latency, in process, against the same store file.
	reg := node.NewRegistry()
	all.Register(reg)
	def, err := reg.Lookup("embeddedVectorStore")
	if err != nil {
		return err
	}
	emb := embedderFunc(func(ctx context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i, t := range texts {
			out[i] = llmtest.Embed(t, 1536)
		}
		return out, nil
	})
	inst, err := def.Init(context.Background(), &node.Data{ID: "embeddedVectorStore_0", Name: "embeddedVectorStore",
		Inputs: map[string]any{"embeddings": emb, "collectionName": "bench"}, Outputs: map[string]any{"output": "vectorStore"}},
		&node.Runtime{ChatflowID: cf.ID, DataDir: dataDir})
	if err != nil {
		return err
	}
	vs, ok := inst.(llm.VectorStore)
	if !ok {
		return fmt.Errorf("embeddedVectorStore output vectorStore is %T", inst)
	}
	var lat []time.Duration
	words := strings.Fields(string(data[:4096]))
	for i := 0; i < 300; i++ {
		q := strings.Join(words[i%len(words):min(len(words), i%len(words)+8)], " ")
		s := time.Now()
		hits, err := vs.SimilaritySearch(context.Background(), q, 4, nil)
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(s))
		if len(hits) == 0 {
			return fmt.Errorf("no hits for %q", q)
		}
	}
	if c, ok := inst.(interface{ Close(context.Context) error }); ok {
		_ = c.Close(context.Background())
	}
	slices.Sort(lat)
	fmt.Printf("similarity query (k=4) over %d chunks of 1536 dims: p50 %v p99 %v\n", n, lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)*99/100].Round(10*time.Microsecond))

	return nil
}

type embedderFunc func(ctx context.Context, texts []string) ([][]float32, error)

func (f embedderFunc) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return f(ctx, texts)
}

func dirMiB(dir string) float64 {
	var total int64
	_ = filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	return float64(total) / (1 << 20)
}
