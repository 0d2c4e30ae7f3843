// Package chatmodels holds Flowise's "Chat Models" category nodes: the
// vendor chat APIs (OpenAI and the OpenAI-compatible vendors, Anthropic,
// Google Gemini, Ollama) behind [llm.ChatModel].
//
// Each node reads its inputs with Flowise's names and defaults. Vendor base
// URLs come from the node's base path input when Flowise has one, else from
// an environment variable (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, ...), else
// the vendor's default.
package chatmodels

import "github.com/floehq/floe/internal/node"

// Register adds the category's nodes to r.
func Register(r *node.Registry) {
	for _, def := range []node.Definition{
		chatOpenAI, azureChatOpenAI, chatOpenAICustom, chatLocalAI, groqChat, chatDeepseek,
		chatOpenRouter, chatTogetherAI, chatMistralAI, chatAnthropic, chatGoogleGenerativeAI, chatOllama,
	} {
		r.MustRegister(def)
	}
}
