// Package all registers every node category that ships with Floe: the one
// explicit list (STYLE.md §2.6).
package all

import (
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/nodes/chains"
	"github.com/floehq/floe/internal/nodes/chatmodels"
	"github.com/floehq/floe/internal/nodes/documentloaders"
	"github.com/floehq/floe/internal/nodes/embeddings"
	"github.com/floehq/floe/internal/nodes/memory"
	"github.com/floehq/floe/internal/nodes/moderation"
	"github.com/floehq/floe/internal/nodes/outputparsers"
	"github.com/floehq/floe/internal/nodes/prompts"
	"github.com/floehq/floe/internal/nodes/recordmanager"
	"github.com/floehq/floe/internal/nodes/retrievers"
	"github.com/floehq/floe/internal/nodes/textsplitters"
	"github.com/floehq/floe/internal/nodes/utilities"
	"github.com/floehq/floe/internal/nodes/vectorstores"
)

// Register adds every shipped node to r.
func Register(r *node.Registry) {
	chatmodels.Register(r)
	embeddings.Register(r)
	documentloaders.Register(r)
	prompts.Register(r)
	chains.Register(r)
	memory.Register(r)
	outputparsers.Register(r)
	moderation.Register(r)
	retrievers.Register(r)
	textsplitters.Register(r)
	vectorstores.Register(r)
	recordmanager.Register(r)
	utilities.Register(r)
}
