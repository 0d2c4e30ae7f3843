package server

import (
	"encoding/json"
	"fmt"
)

// secretParamTypes are the input types removed from flowData shown to the
// public, as Flowise's sanitizeFlowData does.
var secretParamTypes = map[string]bool{"password": true, "file": true, "folder": true}

// sanitizeFlowData removes credential references and password, file and
// folder inputs from a flowData document.
func sanitizeFlowData(flowData string) (string, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(flowData), &doc); err != nil {
		return "", fmt.Errorf("sanitizing flowData: %w", err)
	}
	nodes, _ := doc["nodes"].([]any)
	for _, n := range nodes {
		nm, _ := n.(map[string]any)
		data, _ := nm["data"].(map[string]any)
		if data == nil {
			continue
		}
		delete(data, "credential")
		inputs, _ := data["inputs"].(map[string]any)
		params, _ := data["inputParams"].([]any)
		for _, p := range params {
			pm, _ := p.(map[string]any)
			name, _ := pm["name"].(string)
			typ, _ := pm["type"].(string)
			if secretParamTypes[typ] && inputs != nil {
				delete(inputs, name)
			}
		}
		stripCredentialIDs(data)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("sanitizing flowData: %w", err)
	}
	return string(out), nil
}

// stripCredentialIDs deletes every nested FLOWISE_CREDENTIAL_ID key.
func stripCredentialIDs(v any) {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "FLOWISE_CREDENTIAL_ID")
		for _, c := range t {
			stripCredentialIDs(c)
		}
	case []any:
		for _, c := range t {
			stripCredentialIDs(c)
		}
	}
}
