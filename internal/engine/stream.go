package engine

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/flow"
)

// streamingModels are the chat model and LLM nodes Flowise treats as
// streaming when their saved inputs have no "streaming" key.
var streamingModels = []string{
	"azureChatOpenAI", "chatOpenAI", "chatOpenAI_LlamaIndex", "chatOpenAICustom", "chatAnthropic",
	"chatAnthropic_LlamaIndex", "chatOllama", "chatOllama_LlamaIndex", "awsChatBedrock", "chatMistralAI",
	"chatMistral_LlamaIndex", "chatAlibabaTongyi", "groqChat", "chatGroq_LlamaIndex", "chatCohere",
	"chatGoogleGenerativeAI", "chatTogetherAI", "chatTogetherAI_LlamaIndex", "chatFireworks",
	"chatBaiduWenxin", "chatCerebras", "chatNvdiaNIM", "chatLocalAI", "chatOpenRouter", "deepseek",
	"chatXAI", "chatSambanova", "chatLitellm", "chatPerplexity", "openAI", "azureOpenAI", "ollama",
}

var (
	streamingAgents  = []string{"csvAgent", "airtableAgent", "toolAgent", "conversationalRetrievalToolAgent", "openAIToolAgentLlamaIndex", "openAIAssistant"}
	streamingEngines = []string{"contextChatEngine", "simpleChatEngine", "queryEngine", "subQuestionQueryEngine"}
)

// IsStreamable is Flowise's isStreaming rule for a chatflow (reference
// §2.1): whether a request asking for streaming gets SSE. chatbotConfig is
// the chatflow's chatbotConfig JSON text, typ its type.
func IsStreamable(f *flow.Flow, typ, chatbotConfig string) bool {
	var cfg struct {
		PostProcessing struct {
			Enabled any `json:"enabled"`
		} `json:"postProcessing"`
	}
	if chatbotConfig != "" && json.Unmarshal([]byte(chatbotConfig), &cfg) == nil && truthy(cfg.PostProcessing.Enabled) {
		return false
	}
	if typ == "AGENTFLOW" {
		return true
	}
	end, err := f.EndingNode()
	if err != nil {
		return false
	}
	if end.Data.Outputs["output"] == "EndingNode" {
		return false
	}
	if end.Data.Category == "Multi Agents" || end.Data.Category == "Sequential Agents" {
		return true
	}
	for _, n := range f.Nodes {
		if strings.Contains(n.Data.Category, "Output Parser") {
			return false
		}
		if n.Data.Category != "Chat Models" && n.Data.Category != "LLMs" {
			continue
		}
		v, ok := n.Data.Inputs["streaming"]
		if !ok {
			if !slices.Contains(streamingModels, n.Data.Name) {
				return false
			}
			continue
		}
		if v == false || v == "false" {
			return false
		}
	}
	switch end.Data.Category {
	case "Chains":
		return end.Data.Name != "openApiChain" && end.Data.Name != "vectaraQAChain"
	case "Agents":
		return slices.Contains(streamingAgents, end.Data.Name)
	case "Engine":
		return slices.Contains(streamingEngines, end.Data.Name)
	}
	return false
}
