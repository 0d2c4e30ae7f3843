package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/store"
)

// ImportOptions override what an export file says (or does not say).
type ImportOptions struct {
	Name string // chatflow name; default: the record's name, else Fallback
	Type string // CHATFLOW, AGENTFLOW, MULTIAGENT or ASSISTANT; default: the record's, else detected
	// Fallback is the name used when neither Name nor the file has one
	// (the CLI passes the file's base name).
	Fallback string
}

// ChatflowsFromExport reads a Flowise export file and returns the chatflows
// it holds, validated and ready to store. It accepts the {nodes, edges}
// file the Flowise UI exports (and marketplace templates, which add
// description and usecases), a chatflow record with flowData (a string or an
// object), or a JSON array of such records.
func ChatflowsFromExport(data []byte, opts ImportOptions) ([]*store.ChatFlow, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, fmt.Errorf("reading export: %w", err)
		}
		if opts.Name != "" && len(items) > 1 {
			return nil, errors.New("reading export: a name applies to one chatflow, and the file holds several")
		}
		var out []*store.ChatFlow
		for i, it := range items {
			cf, err := chatflowFromRecord(it, opts)
			if err != nil {
				return nil, fmt.Errorf("reading export item %d: %w", i, err)
			}
			out = append(out, cf)
		}
		return out, nil
	}
	cf, err := chatflowFromRecord(data, opts)
	if err != nil {
		return nil, err
	}
	return []*store.ChatFlow{cf}, nil
}

func chatflowFromRecord(data []byte, opts ImportOptions) (*store.ChatFlow, error) {
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(data, &rec); err != nil || rec == nil {
		return nil, fmt.Errorf("reading export: not a JSON object: %w", errOr(err))
	}
	b := body(rec)
	cf := &store.ChatFlow{}
	var flowData string
	switch {
	case b.has("flowData"):
		var fd *string
		if err := b.jsonText("flowData", &fd, false); err != nil || fd == nil {
			return nil, fmt.Errorf("reading export: flowData must be a JSON string or object")
		}
		flowData = *fd
		_ = b.str("name", &cf.Name)
		_ = b.str("type", &cf.Type)
		for _, f := range []struct {
			name string
			dst  **string
		}{{"chatbotConfig", &cf.ChatbotConfig}, {"apiConfig", &cf.APIConfig}, {"speechToText", &cf.SpeechToText}, {"followUpPrompts", &cf.FollowUpPrompts}, {"category", &cf.Category}} {
			if err := b.jsonText(f.name, f.dst, false); err != nil {
				return nil, fmt.Errorf("reading export: %w", err)
			}
		}
	case b.has("nodes"):
		doc := map[string]json.RawMessage{"nodes": rec["nodes"], "edges": json.RawMessage("[]")}
		if e, ok := rec["edges"]; ok {
			doc["edges"] = e
		}
		if v, ok := rec["viewport"]; ok {
			doc["viewport"] = v
		}
		out, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("reading export: %w", err)
		}
		flowData = string(out)
	default:
		return nil, errors.New("reading export: neither a {nodes, edges} flow nor a chatflow record with flowData")
	}
	parsed, err := flow.Parse([]byte(flowData))
	if err != nil {
		return nil, err
	}
	cf.FlowData = flowData
	if opts.Name != "" {
		cf.Name = opts.Name
	}
	if cf.Name == "" {
		cf.Name = opts.Fallback
	}
	if cf.Name == "" {
		cf.Name = "Imported flow"
	}
	if opts.Type != "" {
		cf.Type = opts.Type
	}
	if cf.Type == "" {
		cf.Type = flow.DetectType(parsed)
	}
	if !slices.Contains(chatflowTypes, cf.Type) {
		return nil, fmt.Errorf("reading export: invalid chatflow type %q (want one of CHATFLOW, AGENTFLOW, MULTIAGENT, ASSISTANT)", cf.Type)
	}
	return cf, nil
}

func errOr(err error) error {
	if err == nil {
		return errors.New("got another JSON value")
	}
	return err
}
