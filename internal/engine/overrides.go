package engine

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/flow"
)

// Permissions is a chatflow's override allow-list: apiConfig.overrideConfig
// (reference §3.1). The zero value allows nothing.
type Permissions struct {
	// Enabled is overrideConfig.status; when false no override applies.
	Enabled bool
	// Nodes maps a node label to the input names enabled for it.
	Nodes map[string][]string
	// Variables lists the variable names enabled for overrideConfig.vars.
	Variables []string
}

// RateLimit is apiConfig.rateLimit: at most Max requests per Window seconds
// per client; Message is the 429 body.
type RateLimit struct {
	Enabled bool
	Max     int
	Window  int
	Message string
}

// APIConfig is a chatflow's parsed apiConfig column.
type APIConfig struct {
	Overrides Permissions
	RateLimit RateLimit
}

type permEntry struct {
	Name    string `json:"name"`
	Enabled any    `json:"enabled"`
}

// ParseAPIConfig reads the apiConfig JSON text the Flowise UI saves. An
// empty or malformed config allows no override and sets no rate limit.
func ParseAPIConfig(text string) APIConfig {
	var raw struct {
		OverrideConfig struct {
			Status    any                    `json:"status"`
			Nodes     map[string][]permEntry `json:"nodes"`
			Variables []permEntry            `json:"variables"`
		} `json:"overrideConfig"`
		RateLimit struct {
			Status        any `json:"status"`
			LimitMax      any `json:"limitMax"`
			LimitDuration any `json:"limitDuration"`
			LimitMsg      any `json:"limitMsg"`
		} `json:"rateLimit"`
	}
	var c APIConfig
	if text == "" || json.Unmarshal([]byte(text), &raw) != nil {
		return c
	}
	oc := raw.OverrideConfig
	c.Overrides.Enabled = truthy(oc.Status)
	c.Overrides.Nodes = map[string][]string{}
	for label, entries := range oc.Nodes {
		for _, e := range entries {
			if truthy(e.Enabled) && e.Name != "" {
				c.Overrides.Nodes[label] = append(c.Overrides.Nodes[label], e.Name)
			}
		}
	}
	for _, v := range oc.Variables {
		if truthy(v.Enabled) && v.Name != "" {
			c.Overrides.Variables = append(c.Overrides.Variables, v.Name)
		}
	}
	rl := raw.RateLimit
	max, okMax := number(rl.LimitMax)
	win, okWin := number(rl.LimitDuration)
	msg, _ := rl.LimitMsg.(string)
	if truthy(rl.Status) && okMax && okWin && max > 0 && win > 0 {
		c.RateLimit = RateLimit{Enabled: true, Max: max, Window: win, Message: msg}
	}
	return c
}

func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return t == "true"
	}
	return false
}

func number(v any) (int, bool) {
	switch t := v.(type) {
	case float64:
		return int(t), true
	case string:
		var n int
		if err := json.Unmarshal([]byte(strings.TrimSpace(t)), &n); err == nil {
			return n, true
		}
	}
	return 0, false
}

func (p Permissions) allows(label, input string) bool {
	return p.Enabled && slices.Contains(p.Nodes[label], input)
}

// applyOverrides applies a request's overrideConfig to one node's inputs
// (a copy), as Flowise's replaceInputsWithConfig does but checking the
// allow-list for every kind of value: a disallowed key is dropped.
// sessionId and analytics are not inputs and are skipped here.
func applyOverrides(n *flow.Node, inputs map[string]any, overrides map[string]any, p Permissions) {
	if !p.Enabled {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(overrides)) {
		v := overrides[k]
		switch k {
		case "sessionId", "analytics":
			continue
		case "vars":
			if m, ok := v.(map[string]any); ok {
				filtered := map[string]any{}
				for name, val := range m {
					if slices.Contains(p.Variables, name) {
						filtered[name] = val
					}
				}
				inputs["vars"] = filtered
			}
			continue
		}
		if !p.allows(n.Data.Label, k) {
			continue
		}
		switch val := v.(type) {
		case []any:
			if cur, ok := inputs[k].([]any); ok {
				merged := slices.Clone(cur)
				for _, x := range val {
					if !slices.ContainsFunc(merged, func(y any) bool { return jsonEqual(x, y) }) {
						merged = append(merged, x)
					}
				}
				inputs[k] = merged
			} else {
				inputs[k] = val
			}
		case map[string]any:
			if byNode, ok := val[n.ID]; ok {
				inputs[k] = mergeObject(inputs[k], coerce(byNode))
				continue
			}
			if slices.ContainsFunc(slices.Collect(maps.Keys(val)), func(key string) bool { return keyedForNodeOfType(key, n.Data.Name) }) {
				continue // keyed for another node of this type
			}
			inputs[k] = mergeObject(inputs[k], val)
		default:
			inputs[k] = coerce(val)
		}
	}
}

// keyedForNodeOfType reports whether an object key is a node id of the
// given node type ("chatOpenAI_1" for chatOpenAI).
func keyedForNodeOfType(key, name string) bool {
	rest, ok := strings.CutPrefix(key, name+"_")
	if !ok || rest == "" {
		return false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mergeObject shallow-merges an override object into an existing object
// input (or a JSON object string); anything else is replaced.
func mergeObject(cur, override any) any {
	o, ok := override.(map[string]any)
	if !ok {
		return override
	}
	var base map[string]any
	switch c := cur.(type) {
	case map[string]any:
		base = maps.Clone(c)
	case string:
		if json.Unmarshal([]byte(c), &base) != nil {
			base = nil
		}
	}
	if base == nil {
		return o
	}
	maps.Copy(base, o)
	return base
}

// coerce turns the strings "true" and "false" into booleans, as Flowise does.
func coerce(v any) any {
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	return v
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
