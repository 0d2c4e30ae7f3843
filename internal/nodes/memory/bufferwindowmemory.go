package memory

import (
	"context"

	"github.com/floehq/floe/internal/node"
)

const inK = "k"

// bufferWindowMemory mirrors Flowise's BufferWindowMemory
// (nodes/memory/BufferWindowMemory): the last k exchanges of the session,
// that is its newest 2k messages, as Flowise slices them; k <= 0 gives no
// history. An absent k means 4, the UI's default.
var bufferWindowMemory = node.Definition{
	Spec: node.Spec{
		Label:       "Buffer Window Memory",
		Name:        "bufferWindowMemory",
		Version:     2,
		Type:        "BufferWindowMemory",
		Icon:        "memory.svg",
		Category:    "Memory",
		Description: "Uses a window of size k to surface the last k back-and-forth to use as memory",
		BaseClasses: []string{"BufferWindowMemory", "BaseChatMemory", "BaseMemory"},
		Inputs: []node.Param{
			{
				Label:       "Size",
				Name:        inK,
				Type:        node.TypeNumber,
				Default:     "4",
				Description: "Window of size k to surface the last k back-and-forth to use as memory.",
			},
			sessionIDParam(docsMemory),
			memoryKeyParam,
		},
	},
	Init: initBufferWindowMemory,
}

func initBufferWindowMemory(_ context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	k, err := data.Int(inK, 4)
	if err != nil {
		return nil, err
	}
	key, err := memoryKey(data)
	if err != nil {
		return nil, err
	}
	limit := 2 * k
	if k <= 0 {
		limit = -1
	}
	return newStoredHistory(rt, key, limit), nil
}
