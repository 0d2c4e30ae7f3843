// Command bench is Floe's load benchmark: it builds and starts the floe
// binary on an empty SQLite data dir, points the "Conversation Chain"
// template (ChatOpenAI + Buffer Memory) at a fake OpenAI server that answers
// at once, and measures predictions per second and latency at several
// concurrencies, streaming time to first token against the fake's own, the
// server's memory (RSS), and latency once the chatflow holds 100k messages.
//
//	go run ./bench [-n 2000] [-c 1,8,64] [-history 100000]
//
// Everything runs on loopback.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/store"
)

func main() {
	n := flag.Int("n", 2000, "predictions per concurrency level")
	levels := flag.String("c", "1,8,64", "concurrency levels")
	history := flag.Int("history", 100000, "messages to add to the chatflow for the history-growth run (0 skips it)")
	shared := flag.String("shared", "../shared", "the shared directory holding flows/")
	rag := flag.Bool("rag", false, "run the RAG benchmark (upsert, query, RSS) instead of predictions")
	ragMB := flag.Int("rag-mb", 10, "corpus size for the RAG upsert, MiB")
	ragCalls := flag.Int("rag-calls", 3000, "small upsert calls for the RSS check")
	flag.Parse()
	ragOpts = ragOptions{on: *rag, mb: *ragMB, calls: *ragCalls}
	if err := run(*n, *levels, *history, *shared); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type ragOptions struct {
	on        bool
	mb, calls int
}

var ragOpts ragOptions

// cleanup collects teardown functions (llmtest wants a test-like owner).
type cleanup struct{ fns []func() }

func (c *cleanup) Helper()          {}
func (c *cleanup) Cleanup(f func()) { c.fns = append(c.fns, f) }
func (c *cleanup) run() {
	for _, f := range slices.Backward(c.fns) {
		f()
	}
}

func run(n int, levels string, history int, shared string) error {
	tmp, err := os.MkdirTemp("", "floe-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "floe")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/floe").CombinedOutput(); err != nil {
		return fmt.Errorf("building floe: %v\n%s", err, out)
	}
	owner := &cleanup{}
	defer owner.run()
	fake := llmtest.NewProvider(owner)

	port, err := freePort()
	if err != nil {
		return err
	}
	dataDir := filepath.Join(tmp, "data")
	cmd := exec.Command(bin, "start")
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "HOST=127.0.0.1", "DATABASE_PATH="+dataDir, "DATABASE_TYPE=sqlite",
		"LOG_LEVEL=warn", "FLOWISE_USERNAME=", "FLOWISE_PASSWORD=")
	cmd.Stderr = io.Discard
	if path := os.Getenv("FLOE_BENCH_SERVER_LOG"); path != "" {
		// A debugging aid: keep the server's stderr, with GC traces.
		cmd.Env = append(cmd.Env, "GODEBUG=gctrace=1")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		cmd.Stderr = f
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	if err := waitReady(client, base); err != nil {
		return err
	}
	fmt.Printf("startup (exec to first pong): %v\n", time.Since(began).Round(time.Millisecond))
	time.Sleep(time.Second)
	fmt.Printf("RSS idle: %.1f MiB\n", rssMiB(cmd.Process.Pid))

	if ragOpts.on {
		return ragBench(client, base, cmd.Process.Pid, fake, dataDir, ragOpts.mb, ragOpts.calls)
	}
	id, err := setup(client, base, fake.URL, shared)
	if err != nil {
		return err
	}
	if _, err := load(client, base, id, 200, 8, "warm"); err != nil {
		return err
	}
	fmt.Printf("\nConversation Chain + Buffer Memory, fake OpenAI (0 ms), %d predictions per level\n", n)
	fmt.Printf("%-6s %10s %10s %10s %10s %8s %14s\n", "conc", "req/s", "p50", "p90", "p99", "errors", "floe CPU/req")
	for _, f := range strings.Split(levels, ",") {
		c, _ := strconv.Atoi(strings.TrimSpace(f))
		cpu0 := cpuTime(cmd.Process.Pid)
		r, err := load(client, base, id, n, c, "c"+f)
		if err != nil {
			return err
		}
		r.cpuPerReq = (cpuTime(cmd.Process.Pid) - cpu0) / time.Duration(n)
		r.print(c)
	}
	if err := ttft(client, base, id, fake.URL); err != nil {
		return err
	}
	fmt.Printf("RSS after the runs: %.1f MiB\n", rssMiB(cmd.Process.Pid))

	if history > 0 {
		db, err := store.Open(context.Background(), store.Options{Type: "sqlite", SQLitePath: filepath.Join(dataDir, "database.sqlite")})
		if err != nil {
			return err
		}
		t0 := time.Now()
		if err := seed(db, id, history); err != nil {
			return err
		}
		db.Close()
		fmt.Printf("\nadded %d messages to the chatflow in %v; the same load again:\n", history, time.Since(t0).Round(time.Millisecond))
		fmt.Printf("%-6s %10s %10s %10s %10s %8s %14s\n", "conc", "req/s", "p50", "p90", "p99", "errors", "floe CPU/req")
		for _, c := range []int{1, 64} {
			cpu0 := cpuTime(cmd.Process.Pid)
			r, err := load(client, base, id, n, c, fmt.Sprintf("h%d", c))
			if err != nil {
				return err
			}
			r.cpuPerReq = (cpuTime(cmd.Process.Pid) - cpu0) / time.Duration(n)
			r.print(c)
		}
		fmt.Printf("RSS at the end: %.1f MiB\n", rssMiB(cmd.Process.Pid))
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(c *http.Client, base string) error {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if r, err := c.Get(base + "/api/v1/ping"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return nil
			}
		}
	}
	return fmt.Errorf("floe did not start")
}

// cpuTime reads the user+system CPU time a process has used
// (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms).
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.Atoi(fields[11])
	st, _ := strconv.Atoi(fields[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// rssMiB reads VmRSS of a process.
func rssMiB(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return -1
}

func postJSON(c *http.Client, url string, body any, out any) error {
	b, _ := json.Marshal(body)
	r, err := c.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer r.Body.Close()
	data, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 {
		return fmt.Errorf("POST %s: %d %s", url, r.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// setup stores a credential and the template pointed at the fake.
func setup(c *http.Client, base, fakeURL, shared string) (string, error) {
	var cred struct{ ID string }
	if err := postJSON(c, base+"/api/v1/credentials", map[string]any{"name": "openai", "credentialName": "openAIApi", "plainDataObj": map[string]any{"openAIApiKey": "sk-bench"}}, &cred); err != nil {
		return "", err
	}
	data, err := os.ReadFile(filepath.Join(shared, "flows", "chatflows", "Conversation Chain.json"))
	if err != nil {
		return "", err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return "", err
	}
	for _, nd := range doc["nodes"].([]any) {
		d := nd.(map[string]any)["data"].(map[string]any)
		if d["name"] == "chatOpenAI" {
			d["credential"] = cred.ID
			d["inputs"].(map[string]any)["basepath"] = fakeURL + "/v1"
		}
	}
	fd, _ := json.Marshal(map[string]any{"nodes": doc["nodes"], "edges": doc["edges"]})
	var cf struct{ ID string }
	if err := postJSON(c, base+"/api/v1/chatflows", map[string]any{"name": "bench", "flowData": string(fd)}, &cf); err != nil {
		return "", err
	}
	return cf.ID, nil
}

type result struct {
	lat       []time.Duration
	elapsed   time.Duration
	errors    int64
	cpuPerReq time.Duration
}

func (r result) print(c int) {
	slices.Sort(r.lat)
	pct := func(p float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
	}
	fmt.Printf("%-6d %10.0f %10v %10v %10v %8d %14v\n", c, float64(len(r.lat))/r.elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), r.errors, r.cpuPerReq.Round(time.Microsecond))
}

// load sends n non-streaming predictions with c workers. Sessions rotate
// over 200 ids so buffer memory holds a few turns each.
func load(client *http.Client, base, id string, n, c int, tag string) (result, error) {
	var next atomic.Int64
	var errs atomic.Int64
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				body := fmt.Sprintf(`{"question":"Hello number %d","chatId":"%s-%d"}`, i, tag, i%200)
				s := time.Now()
				r, err := client.Post(base+"/api/v1/prediction/"+id, "application/json", strings.NewReader(body))
				if err == nil {
					_, _ = io.Copy(io.Discard, r.Body)
					r.Body.Close()
					if r.StatusCode != 200 {
						err = fmt.Errorf("status %d", r.StatusCode)
					}
				}
				lat[i] = time.Since(s)
				if err != nil {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return result{lat: lat, elapsed: time.Since(t0), errors: errs.Load()}, nil
}

// ttft measures time to the first token event through Floe and, for
// reference, to the first content chunk straight from the fake.
func ttft(client *http.Client, base, id, fakeURL string) error {
	const runs = 200
	var floe, direct []time.Duration
	for i := 0; i < runs; i++ {
		d, err := firstLine(client, base+"/api/v1/prediction/"+id, fmt.Sprintf(`{"question":"stream %d","chatId":"ttft-%d","streaming":true}`, i, i%20), `"event":"token"`)
		if err != nil {
			return err
		}
		floe = append(floe, d)
		d, err = firstLine(client, fakeURL+"/v1/chat/completions", `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}`, `"content":"echo:"`)
		if err != nil {
			return err
		}
		direct = append(direct, d)
	}
	slices.Sort(floe)
	slices.Sort(direct)
	fmt.Printf("\nstreaming time to first token (%d sequential requests): Floe p50 %v p90 %v; the fake alone p50 %v p90 %v; overhead p50 %v\n",
		runs, floe[runs/2].Round(time.Microsecond), floe[runs*9/10].Round(time.Microsecond),
		direct[runs/2].Round(time.Microsecond), direct[runs*9/10].Round(time.Microsecond), (floe[runs/2] - direct[runs/2]).Round(time.Microsecond))
	return nil
}

func firstLine(c *http.Client, url, body, marker string) (time.Duration, error) {
	s := time.Now()
	r, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer r.Body.Close()
	br := bufio.NewReader(r.Body)
	for {
		line, err := br.ReadString('\n')
		if strings.Contains(line, marker) {
			d := time.Since(s)
			_, _ = io.Copy(io.Discard, br)
			return d, nil
		}
		if err != nil {
			return 0, fmt.Errorf("no %s in the stream from %s", marker, url)
		}
	}
}

// seed adds messages to the chatflow, spread over many sessions.
func seed(db *store.DB, chatflowID string, n int) error {
	ctx := context.Background()
	const batch = 1000
	for i := 0; i < n; i += batch {
		msgs := make([]*store.ChatMessage, 0, batch)
		for j := i; j < min(n, i+batch); j++ {
			s := fmt.Sprintf("seed-%d", j/10)
			role := "userMessage"
			if j%2 == 1 {
				role = "apiMessage"
			}
			msgs = append(msgs, &store.ChatMessage{ID: uuid.NewString(), Role: role, ChatflowID: chatflowID, Content: "seeded message", ChatType: "EXTERNAL", ChatID: s, SessionID: &s})
		}
		if err := db.AddChatMessages(ctx, msgs...); err != nil {
			return err
		}
	}
	return nil
}
