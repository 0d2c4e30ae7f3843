package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const testRedisURL = "redis://127.0.0.1:6379/0"

// fakeCredentials resolves credential ids to fixed fields.
type fakeCredentials map[string]map[string]any

func (f fakeCredentials) Credential(_ context.Context, id string) (map[string]any, error) {
	fields, ok := f[id]
	if !ok {
		return nil, fmt.Errorf("credential %q: %w", id, errFake)
	}
	return fields, nil
}

func TestRedisOptions(t *testing.T) {
	creds := fakeCredentials{
		"url":   {"redisUrl": "redis://u:p@redis.example:6380/2"},
		"tls":   {"redisUrl": "rediss://redis.example:6390"},
		"parts": {"redisCacheHost": "10.0.0.5", "redisCachePort": "6381", "redisCacheUser": "bob", "redisCachePwd": "secret", "redisCacheSslEnabled": true},
		"empty": {"redisCacheHost": "", "redisCachePort": ""},
		"bad":   {"redisUrl": "http://nope"},
	}
	tests := []struct {
		name       string
		credential string
		inputs     string
		wantAddr   string
		wantUser   string
		wantPass   string
		wantDB     int
		wantTLS    bool
		wantErr    bool
	}{
		{name: "url credential", credential: "url", wantAddr: "redis.example:6380", wantUser: "u", wantPass: "p", wantDB: 2},
		{name: "tls url", credential: "tls", wantAddr: "redis.example:6390", wantTLS: true},
		{name: "host and port credential", credential: "parts", wantAddr: "10.0.0.5:6381", wantUser: "bob", wantPass: "secret", wantTLS: true},
		{name: "defaults", credential: "empty", wantAddr: "localhost:6379"},
		{name: "no credential", wantAddr: "localhost:6379"},
		{name: "input overrides credential", credential: "parts", inputs: `,"redisCachePort":"7000"`, wantAddr: "10.0.0.5:7000", wantUser: "bob", wantPass: "secret", wantTLS: true},
		{name: "bad url", credential: "bad", wantErr: true},
		{name: "unknown credential", credential: "missing", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dataFrom(t, `{"id":"RedisBackedChatMemory_0","credential":"`+tc.credential+`","inputs":{"sessionId":""`+tc.inputs+`}}`, nil)
			opts, err := redisOptions(t.Context(), d, &node.Runtime{Credentials: creds})
			if tc.wantErr {
				if err == nil {
					t.Errorf("redisOptions = %+v, want an error", opts)
				}
				return
			}
			if err != nil {
				t.Fatalf("redisOptions: %v", err)
			}
			got := []any{opts.Addr, opts.Username, opts.Password, opts.DB, opts.TLSConfig != nil}
			want := []any{tc.wantAddr, tc.wantUser, tc.wantPass, tc.wantDB, tc.wantTLS}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("addr, user, password, db, tls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStoredMessageJSON(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    llm.Message
		wantErr bool
	}{
		{name: "human from Flowise", raw: `{"type":"human","data":{"content":"hello","additional_kwargs":{},"response_metadata":{}}}`, want: user("hello")},
		{name: "ai with tool calls", raw: `{"type":"ai","data":{"content":"hi","tool_calls":[],"invalid_tool_calls":[],"additional_kwargs":{},"response_metadata":{}}}`, want: ai("hi")},
		{name: "system", raw: `{"type":"system","data":{"content":"be brief"}}`, want: sys("be brief")},
		{name: "content parts", raw: `{"type":"human","data":{"content":[{"type":"text","text":"look "},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"here"}]}}`, want: user("look here")},
		{name: "generic with role", raw: `{"type":"chat","data":{"content":"c","role":"assistant"}}`, want: ai("c")},
		{name: "unknown type", raw: `{"type":"alien","data":{"content":"x"}}`, wantErr: true},
		{name: "not JSON", raw: `hello`, wantErr: true},
		{name: "bad content", raw: `{"type":"human","data":{"content":7}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeStoredMessage(tc.raw)
			if tc.wantErr {
				if err == nil {
					t.Errorf("decodeStoredMessage = %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeStoredMessage: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
	// Encoding matches LangChain JS toDict and round-trips.
	for _, m := range []llm.Message{user("q"), ai("a"), sys("s"), {Role: llm.RoleTool, Content: "t"}} {
		s, err := encodeStoredMessage(m)
		if err != nil {
			t.Fatalf("encodeStoredMessage(%v): %v", m, err)
		}
		back, err := decodeStoredMessage(s)
		if err != nil || !reflect.DeepEqual(back, m) {
			t.Errorf("round trip of %v = %v, %v", m, back, err)
		}
	}
	got, _ := encodeStoredMessage(ai("a"))
	want := `{"data":{"additional_kwargs":{},"content":"a","invalid_tool_calls":[],"response_metadata":{},"tool_calls":[]},"type":"ai"}`
	if got != want {
		t.Errorf("encoded ai message = %s, want %s", got, want)
	}
	if _, err := encodeStoredMessage(llm.Message{Role: "robot"}); err == nil {
		t.Error("encoding an unknown role: got no error")
	}
}

// redisClient returns a client of the Redis on loopback, skipping the test
// when it is unreachable (failing instead when FLOE_REQUIRE_SERVICES=1).
func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(testRedisURL)
	if err != nil {
		t.Fatalf("parsing %s: %v", testRedisURL, err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		msg := fmt.Sprintf("Redis at %s is unreachable (%v); start it or unset FLOE_REQUIRE_SERVICES", testRedisURL, err)
		if os.Getenv("FLOE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return c
}

// newRedisMemory builds the node against the loopback Redis with the given
// inputs (a JSON object body without braces, may be empty).
func newRedisMemory(t *testing.T, inputs string) *redisMemory {
	t.Helper()
	if inputs != "" {
		inputs = "," + inputs
	}
	d := dataFrom(t, `{"id":"RedisBackedChatMemory_0","name":"RedisBackedChatMemory","credential":"cred1","inputs":{"sessionId":"","memoryKey":"chat_history"`+inputs+`}}`, nil)
	inst, err := redisBackedChatMemory.Init(t.Context(), d, &node.Runtime{Credentials: fakeCredentials{"cred1": {"redisUrl": testRedisURL}}})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	m, ok := inst.(*redisMemory)
	if !ok {
		t.Fatalf("Init returned %T, want *redisMemory", inst)
	}
	t.Cleanup(func() {
		if err := m.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return m
}

// sessionKeys returns n session ids unique to this test run and deletes
// them when the test ends.
func sessionKeys(t *testing.T, c *redis.Client, n int) []string {
	t.Helper()
	prefix := fmt.Sprintf("floe-test:%s:%d:", t.Name(), time.Now().UnixNano())
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("%ss%d", prefix, i)
	}
	t.Cleanup(func() { c.Del(context.Background(), keys...) })
	return keys
}

func TestRedisMemory(t *testing.T) {
	c := redisClient(t)
	keys := sessionKeys(t, c, 2)
	s1, s2 := keys[0], keys[1]
	mem := newRedisMemory(t, `"sessionTTL":""`)
	ctx := t.Context()

	if err := mem.Append(ctx, s1, user("q1"), ai("a1")); err != nil {
		t.Fatalf("Append: %v", err)
	}
	if err := mem.Append(ctx, s1, user("q2"), ai("a2")); err != nil {
		t.Fatalf("Append: %v", err)
	}
	if err := mem.Append(ctx, s2, user("other")); err != nil {
		t.Fatalf("Append: %v", err)
	}
	got, err := mem.Messages(ctx, s1)
	if err != nil {
		t.Fatalf("Messages: %v", err)
	}
	if diff := cmp.Diff([]llm.Message{user("q1"), ai("a1"), user("q2"), ai("a2")}, got); diff != "" {
		t.Errorf("session 1 (-want +got):\n%s", diff)
	}
	if got, _ := mem.Messages(ctx, s2); !cmp.Equal(got, []llm.Message{user("other")}) {
		t.Errorf("session 2 = %v, want [other]", got)
	}
	// Flowise's layout: newest first, LangChain stored-message JSON.
	raw, err := c.LRange(ctx, s1, 0, 0).Result()
	if err != nil {
		t.Fatalf("LRANGE: %v", err)
	}
	var head struct {
		Type string `json:"type"`
		Data struct {
			Content string `json:"content"`
		} `json:"data"`
	}
	if len(raw) != 1 || json.Unmarshal([]byte(raw[0]), &head) != nil || head.Type != "ai" || head.Data.Content != "a2" {
		t.Errorf("list head = %v, want the newest message as {type: ai, data: {content: a2}}", raw)
	}
	if ttl := c.TTL(ctx, s1).Val(); ttl != -1 {
		t.Errorf("TTL without sessionTTL = %v, want -1 (no expiry)", ttl)
	}

	if err := mem.Clear(ctx, s1); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	if n := c.Exists(ctx, s1).Val(); n != 0 {
		t.Errorf("session 1 key exists after Clear")
	}
	if got, _ := mem.Messages(ctx, s1); len(got) != 0 {
		t.Errorf("session 1 after Clear = %v, want none", got)
	}
	if got, _ := mem.Messages(ctx, s2); len(got) != 1 {
		t.Errorf("session 2 after clearing session 1 = %v, want it kept", got)
	}
	if got, err := mem.Messages(ctx, ""); err != nil || got != nil {
		t.Errorf("Messages(\"\") = %v, %v; want nothing", got, err)
	}
	if err := mem.Append(ctx, "", user("x")); err == nil {
		t.Error("Append to an empty session id: got no error")
	}
}

func TestRedisMemoryWindow(t *testing.T) {
	c := redisClient(t)
	s := sessionKeys(t, c, 1)[0]
	turns := []llm.Message{user("q1"), ai("a1"), user("q2"), ai("a2"), user("q3"), ai("a3")}
	writer := newRedisMemory(t, "")
	if err := writer.Append(t.Context(), s, turns...); err != nil {
		t.Fatalf("Append: %v", err)
	}
	tests := []struct {
		window string
		want   []llm.Message
	}{
		{window: `""`, want: turns},
		{window: `"3"`, want: turns[3:]},
		{window: `2`, want: turns[4:]},
		{window: `"10"`, want: turns},
		{window: `"0"`, want: turns},
	}
	for _, tc := range tests {
		t.Run("windowSize="+tc.window, func(t *testing.T) {
			mem := newRedisMemory(t, `"windowSize":`+tc.window)
			got, err := mem.Messages(t.Context(), s)
			if err != nil {
				t.Fatalf("Messages: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRedisMemoryTTL(t *testing.T) {
	c := redisClient(t)
	s := sessionKeys(t, c, 1)[0]
	mem := newRedisMemory(t, `"sessionTTL":"120"`)
	if mem.ttl != 120*time.Second {
		t.Fatalf("ttl = %v, want 2m", mem.ttl)
	}
	if err := mem.Append(t.Context(), s, user("q")); err != nil {
		t.Fatalf("Append: %v", err)
	}
	// Lower the TTL by hand: the next Append must renew it.
	c.Expire(t.Context(), s, 10*time.Second)
	if err := mem.Append(t.Context(), s, ai("a")); err != nil {
		t.Fatalf("Append: %v", err)
	}
	ttl, err := c.TTL(t.Context(), s).Result()
	if err != nil {
		t.Fatalf("TTL: %v", err)
	}
	if ttl <= 100*time.Second || ttl > 120*time.Second {
		t.Errorf("TTL = %v, want about 120s", ttl)
	}
}

func TestRedisMemoryReadsFlowiseData(t *testing.T) {
	c := redisClient(t)
	s := sessionKeys(t, c, 1)[0]
	// As Flowise writes a turn: LPUSH the human message, then the AI one.
	for _, v := range []string{
		`{"type":"human","data":{"content":"What is 2+2?","additional_kwargs":{},"response_metadata":{}}}`,
		`{"type":"ai","data":{"content":"4","tool_calls":[],"invalid_tool_calls":[],"additional_kwargs":{},"response_metadata":{}}}`,
	} {
		if err := c.LPush(t.Context(), s, v).Err(); err != nil {
			t.Fatalf("LPUSH: %v", err)
		}
	}
	got, err := newRedisMemory(t, "").Messages(t.Context(), s)
	if err != nil {
		t.Fatalf("Messages: %v", err)
	}
	if diff := cmp.Diff([]llm.Message{user("What is 2+2?"), ai("4")}, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	c.LPush(t.Context(), s, "not json")
	if _, err := newRedisMemory(t, "").Messages(t.Context(), s); err == nil {
		t.Error("Messages over a corrupt item: got no error")
	}
}

func TestRedisMemoryUnreachable(t *testing.T) {
	d := dataFrom(t, `{"id":"RedisBackedChatMemory_0","credential":"c","inputs":{}}`, nil)
	// Port 1 on loopback refuses connections: errors come back from each call.
	inst, err := redisBackedChatMemory.Init(t.Context(), d, &node.Runtime{Credentials: fakeCredentials{"c": {"redisUrl": "redis://127.0.0.1:1/0?dial_timeout=1s&max_retries=-1"}}})
	if err != nil {
		t.Fatalf("Init must not connect: %v", err)
	}
	mem := inst.(*redisMemory)
	defer mem.Close(t.Context())
	if _, err := mem.Messages(t.Context(), "s"); err == nil {
		t.Error("Messages against a closed port: got no error")
	}
	if err := mem.Append(t.Context(), "s", user("x")); err == nil {
		t.Error("Append against a closed port: got no error")
	}
	if err := mem.Clear(t.Context(), "s"); err == nil {
		t.Error("Clear against a closed port: got no error")
	}
}

func TestRedisBackedChatMemorySpecJSON(t *testing.T) {
	got, err := json.Marshal(struct {
		Credential *node.Param  `json:"credential"`
		Inputs     []node.Param `json:"inputs"`
	}{redisBackedChatMemory.Spec.Credential, redisBackedChatMemory.Spec.Inputs})
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	want := `{"credential":{"label":"Connect Credential","name":"credential","type":"credential","optional":true,"credentialNames":["redisCacheApi","redisCacheUrlApi"]},
	"inputs":[
	{"label":"Session Id","name":"sessionId","type":"string","default":"","description":"If not specified, a random id will be used. Learn <a target=\"_blank\" href=\"https://docs.flowiseai.com/memory/long-term-memory#ui-and-embedded-chat\">more</a>","optional":true,"additionalParams":true},
	{"label":"Session Timeouts","name":"sessionTTL","type":"number","description":"Seconds till a session expires. If not specified, the session will never expire.","optional":true,"additionalParams":true},
	{"label":"Memory Key","name":"memoryKey","type":"string","default":"chat_history","additionalParams":true},
	{"label":"Window Size","name":"windowSize","type":"number","description":"Window of size k to surface the last k back-and-forth to use as memory.","optional":true,"additionalParams":true}]}`
	var wantV, gotV any
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatalf("bad spec JSON: %v", err)
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("spec JSON (-want +got):\n%s", diff)
	}
}
