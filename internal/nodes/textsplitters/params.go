package textsplitters

import (
	"fmt"

	"github.com/floehq/floe/internal/node"
)

// Input names shared by every splitter.
const (
	inChunkSize    = "chunkSize"
	inChunkOverlap = "chunkOverlap"
)

// LangChain's defaults, used when an input is absent.
const (
	defaultChunkSize    = 1000
	defaultChunkOverlap = 200
)

// category is the Flowise category of every node in this package.
const category = "Text Splitters"

// sizeParams are the chunk size and overlap inputs every splitter node
// starts with (or, for the token splitter, ends with).
var sizeParams = []node.Param{
	{
		Label:       "Chunk Size",
		Name:        inChunkSize,
		Type:        node.TypeNumber,
		Description: "Number of characters in each chunk. Default is 1000.",
		Default:     defaultChunkSize,
		Optional:    true,
	},
	{
		Label:       "Chunk Overlap",
		Name:        inChunkOverlap,
		Type:        node.TypeNumber,
		Description: "Number of characters to overlap between chunks. Default is 200.",
		Default:     defaultChunkOverlap,
		Optional:    true,
	},
}

// readSizes reads the chunk size and overlap inputs, using LangChain's
// defaults for absent ones. It rejects what LangChain rejects (overlap >=
// size) and what would make it misbehave (a size below 1, a negative
// overlap). Unlike Flowise, whose `if (chunkOverlap)` check skips a
// numeric 0, an explicit 0 is honoured.
func readSizes(data *node.Data) (sizes, error) {
	size, err := data.Int(inChunkSize, defaultChunkSize)
	if err != nil {
		return sizes{}, err
	}
	overlap, err := data.Int(inChunkOverlap, defaultChunkOverlap)
	if err != nil {
		return sizes{}, err
	}
	switch {
	case size < 1:
		return sizes{}, invalidInput(inChunkSize, "chunk size %d must be at least 1", size)
	case overlap < 0:
		return sizes{}, invalidInput(inChunkOverlap, "chunk overlap %d must not be negative", overlap)
	case overlap >= size:
		return sizes{}, invalidInput(inChunkOverlap, "chunk overlap %d must be less than chunk size %d", overlap, size)
	}
	return sizes{chunkSize: size, chunkOverlap: overlap}, nil
}

// invalidInput returns a [node.InputError] of kind [node.ErrInvalidInput],
// like the ones [node.Data]'s getters return.
func invalidInput(name, format string, args ...any) error {
	return &node.InputError{Input: name, Kind: node.ErrInvalidInput, Reason: fmt.Sprintf(format, args...)}
}
