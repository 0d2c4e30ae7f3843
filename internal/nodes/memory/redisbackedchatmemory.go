package memory

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inSessionTTL = "sessionTTL"
	inWindowSize = "windowSize"

	// Credential fields of redisCacheUrlApi and redisCacheApi.
	credRedisURL      = "redisUrl"
	credRedisHost     = "redisCacheHost"
	credRedisPort     = "redisCachePort"
	credRedisUser     = "redisCacheUser"
	credRedisPassword = "redisCachePwd"
	credRedisSSL      = "redisCacheSslEnabled"
)

// redisBackedChatMemory mirrors Flowise's RedisBackedChatMemory
// (nodes/memory/RedisBackedChatMemory): the history lives in Redis, one
// list per session whose key is the session id itself and whose items are
// LangChain stored-message JSON ({"type":"human","data":{"content":...}}),
// newest first (LPUSH), so Flowise and Floe can share a Redis database.
//
// windowSize counts messages, as Flowise's code does (its description says
// exchanges). Unlike Flowise, whose LRANGE on the LPUSHed list returns the
// oldest windowSize messages, Floe returns the newest ones.
var redisBackedChatMemory = node.Definition{
	Spec: node.Spec{
		Label:       "Redis-Backed Chat Memory",
		Name:        "RedisBackedChatMemory",
		Version:     2,
		Type:        "RedisBackedChatMemory",
		Icon:        "redis.svg",
		Category:    "Memory",
		Description: "Summarizes the conversation and stores the memory in Redis server",
		BaseClasses: []string{"RedisBackedChatMemory", "BaseChatMemory", "BaseMemory"},
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			Optional:        true,
			CredentialNames: []string{"redisCacheApi", "redisCacheUrlApi"},
		},
		Inputs: []node.Param{
			sessionIDParam(docsLongTermMemory),
			{
				Label:            "Session Timeouts",
				Name:             inSessionTTL,
				Type:             node.TypeNumber,
				Description:      "Seconds till a session expires. If not specified, the session will never expire.",
				AdditionalParams: true,
				Optional:         true,
			},
			memoryKeyParam,
			{
				Label:            "Window Size",
				Name:             inWindowSize,
				Type:             node.TypeNumber,
				Description:      "Window of size k to surface the last k back-and-forth to use as memory.",
				AdditionalParams: true,
				Optional:         true,
			},
		},
	},
	Init: initRedisBackedChatMemory,
}

// initRedisBackedChatMemory builds the client from the credential: a
// redisCacheUrlApi URL (redis:// or rediss://) or redisCacheApi's host,
// port, user, password and SSL flag (defaults localhost:6379). The client
// connects lazily; the instance's Close releases it.
func initRedisBackedChatMemory(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	ttl, err := data.Int(inSessionTTL, 0)
	if err != nil {
		return nil, err
	}
	window, err := data.Int(inWindowSize, 0)
	if err != nil {
		return nil, err
	}
	key, err := memoryKey(data)
	if err != nil {
		return nil, err
	}
	opts, err := redisOptions(ctx, data, rt)
	if err != nil {
		return nil, err
	}
	return &redisMemory{
		client: redis.NewClient(opts),
		ttl:    time.Duration(ttl) * time.Second,
		window: window,
		key:    key,
	}, nil
}

// redisOptions reads the connection settings from the node's credential.
func redisOptions(ctx context.Context, data *node.Data, rt *node.Runtime) (*redis.Options, error) {
	cred := func(name string) (string, error) { return node.CredentialParam(ctx, data, rt, name) }
	url, err := cred(credRedisURL)
	if err != nil {
		return nil, err
	}
	if url != "" {
		opts, err := redis.ParseURL(url)
		if err != nil {
			return nil, fmt.Errorf("node %s: parsing Redis URL: %w", data.ID, err)
		}
		return opts, nil
	}
	fields := map[string]string{credRedisHost: "localhost", credRedisPort: "6379", credRedisUser: "", credRedisPassword: "", credRedisSSL: ""}
	for name, fallback := range fields {
		v, err := cred(name)
		if err != nil {
			return nil, err
		}
		if v == "" {
			v = fallback
		}
		fields[name] = v
	}
	opts := &redis.Options{
		Addr:     net.JoinHostPort(fields[credRedisHost], fields[credRedisPort]),
		Username: fields[credRedisUser],
		Password: fields[credRedisPassword],
	}
	if ssl, _ := strconv.ParseBool(fields[credRedisSSL]); ssl {
		// Flowise connects with rejectUnauthorized: false, so managed
		// Redis services with private CAs work; Floe does the same.
		opts.TLSConfig = &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12} //nolint:gosec // mirrors Flowise
	}
	return opts, nil
}

// redisMemory is a chat memory in Redis lists keyed by session id. It is
// safe for concurrent use.
type redisMemory struct {
	client *redis.Client
	ttl    time.Duration // > 0: the session key expires this long after its last write
	window int           // > 0: Messages returns only the newest window messages
	key    string
}

// Messages returns the session's stored messages, oldest first, cut to the
// window. An empty session id gives no messages.
func (m *redisMemory) Messages(ctx context.Context, sessionID string) ([]llm.Message, error) {
	if sessionID == "" {
		return nil, nil
	}
	stop := int64(-1)
	if m.window > 0 {
		stop = int64(m.window) - 1
	}
	raw, err := m.client.LRange(ctx, sessionID, 0, stop).Result()
	if err != nil {
		return nil, fmt.Errorf("reading Redis memory of session %q: %w", sessionID, err)
	}
	slices.Reverse(raw) // the list is newest first
	msgs := make([]llm.Message, 0, len(raw))
	for i, s := range raw {
		msg, err := decodeStoredMessage(s)
		if err != nil {
			return nil, fmt.Errorf("reading Redis memory of session %q: message %d: %w", sessionID, i, err)
		}
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

// Append stores msgs, in order, at the head of the session's list and
// renews the session's expiry, in one transaction.
func (m *redisMemory) Append(ctx context.Context, sessionID string, msgs ...llm.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if sessionID == "" {
		return errors.New("appending to Redis memory: empty session id")
	}
	vals := make([]any, len(msgs))
	for i, msg := range msgs {
		b, err := encodeStoredMessage(msg)
		if err != nil {
			return fmt.Errorf("appending to Redis memory of session %q: %w", sessionID, err)
		}
		vals[i] = b
	}
	_, err := m.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, sessionID, vals...)
		if m.ttl > 0 {
			p.Expire(ctx, sessionID, m.ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("appending to Redis memory of session %q: %w", sessionID, err)
	}
	return nil
}

// Clear deletes the session's list.
func (m *redisMemory) Clear(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	if err := m.client.Del(ctx, sessionID).Err(); err != nil {
		return fmt.Errorf("clearing Redis memory of session %q: %w", sessionID, err)
	}
	return nil
}

// MemoryKey returns the node's memoryKey input.
func (m *redisMemory) MemoryKey() string { return m.key }

// Close releases the Redis client's connections.
func (m *redisMemory) Close(context.Context) error {
	if err := m.client.Close(); err != nil {
		return fmt.Errorf("closing Redis client: %w", err)
	}
	return nil
}

// storedMessage is LangChain's StoredMessage, the JSON form of a chat
// message (BaseMessage.toDict and mapStoredMessageToChatMessage).
type storedMessage struct {
	Type string            `json:"type"`
	Data storedMessageData `json:"data"`
}

type storedMessageData struct {
	// Content is a string, or a list of content parts for multimodal
	// messages.
	Content json.RawMessage `json:"content"`
	// Role is set on "chat" (generic) messages.
	Role string `json:"role,omitempty"`
}

// encodeStoredMessage renders msg as LangChain JS's toDict does.
func encodeStoredMessage(msg llm.Message) (string, error) {
	data := map[string]any{
		"content":           msg.Content,
		"additional_kwargs": map[string]any{},
		"response_metadata": map[string]any{},
	}
	var typ string
	switch msg.Role {
	case llm.RoleUser:
		typ = "human"
	case llm.RoleAssistant:
		typ = "ai"
		data["tool_calls"] = []any{}
		data["invalid_tool_calls"] = []any{}
	case llm.RoleSystem:
		typ = "system"
	case llm.RoleTool:
		typ = "tool"
	default:
		return "", fmt.Errorf("encoding message: unknown role %q", msg.Role)
	}
	b, err := json.Marshal(map[string]any{"type": typ, "data": data})
	if err != nil {
		return "", fmt.Errorf("encoding message: %w", err)
	}
	return string(b), nil
}

// decodeStoredMessage reads a LangChain stored message, accepting the types
// mapStoredMessageToChatMessage knows and the text parts of list content.
func decodeStoredMessage(s string) (llm.Message, error) {
	var sm storedMessage
	if err := json.Unmarshal([]byte(s), &sm); err != nil {
		return llm.Message{}, fmt.Errorf("decoding stored message: %w", err)
	}
	var role llm.Role
	switch sm.Type {
	case "human", "user":
		role = llm.RoleUser
	case "ai", "assistant":
		role = llm.RoleAssistant
	case "system":
		role = llm.RoleSystem
	case "tool", "function":
		role = llm.RoleTool
	case "chat", "generic":
		role = llm.Role(sm.Data.Role)
		if role == "" {
			role = llm.RoleUser
		}
	default:
		return llm.Message{}, fmt.Errorf("decoding stored message: unknown type %q", sm.Type)
	}
	content, err := contentText(sm.Data.Content)
	if err != nil {
		return llm.Message{}, fmt.Errorf("decoding stored message: %w", err)
	}
	return llm.Message{Role: role, Content: content}, nil
}

// contentText returns a string content as is, or joins the "text" parts of
// a content list.
func contentText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", fmt.Errorf("content is neither text nor a list of parts: %w", err)
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Type == "text" {
			b.WriteString(p.Text)
		}
	}
	return b.String(), nil
}

var (
	_ llm.Memory                                = (*redisMemory)(nil)
	_ interface{ Close(context.Context) error } = (*redisMemory)(nil)
)
