package all

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid or duplicate spec
	var names []string
	for _, def := range r.List() {
		names = append(names, def.Spec.Name)
	}
	if diff := cmp.Diff([]string{
		"RedisBackedChatMemory", "advancedStructuredOutputParser", "azureChatOpenAI", "bufferMemory", "bufferWindowMemory",
		"chatAnthropic", "chatDeepseek", "chatGoogleGenerativeAI", "chatLocalAI", "chatMistralAI", "chatOllama",
		"chatOpenAI", "chatOpenAICustom", "chatOpenRouter", "chatPromptTemplate", "chatTogetherAI", "conversationChain",
		"conversationSummaryBufferMemory", "conversationSummaryMemory", "csvOutputParser", "groqChat",
		"inputModerationOpenAI", "inputModerationSimple", "llmChain", "promptTemplate", "stickyNote",
		"structuredOutputParser",
	}, names); diff != "" {
		t.Errorf("registered nodes (-want +got):\n%s", diff)
	}
}
