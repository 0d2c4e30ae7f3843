package memory

import "github.com/floehq/floe/internal/node"

// Inputs every memory node has.
const (
	inSessionID = "sessionId"
	inMemoryKey = "memoryKey"
	inModel     = "model"

	defaultMemoryKey = "chat_history"
)

// sessionIDParam is the optional, advanced "Session Id" input; docs is the
// page its description links to.
func sessionIDParam(docs string) node.Param {
	return node.Param{
		Label:            "Session Id",
		Name:             inSessionID,
		Type:             node.TypeString,
		Description:      `If not specified, a random id will be used. Learn <a target="_blank" href="` + docs + `">more</a>`,
		Default:          "",
		AdditionalParams: true,
		Optional:         true,
	}
}

// Documentation pages linked from the Session Id description.
const (
	docsMemory         = "https://docs.flowiseai.com/memory#ui-and-embedded-chat"
	docsLongTermMemory = "https://docs.flowiseai.com/memory/long-term-memory#ui-and-embedded-chat"
)

// memoryKeyParam is the advanced "Memory Key" input.
var memoryKeyParam = node.Param{
	Label:            "Memory Key",
	Name:             inMemoryKey,
	Type:             node.TypeString,
	Default:          defaultMemoryKey,
	AdditionalParams: true,
}

// chatModelParam is the "Chat Model" anchor of the summary memories.
var chatModelParam = node.Param{
	Label: "Chat Model",
	Name:  inModel,
	Type:  "BaseChatModel",
}

// memoryKey reads the memoryKey input, defaulting to "chat_history".
func memoryKey(data *node.Data) (string, error) {
	return data.String(inMemoryKey, defaultMemoryKey)
}
