package utilities

import (
	"context"

	"github.com/floehq/floe/internal/node"
)

const inNote = "note"

// stickyNote mirrors Flowise's StickyNote (nodes/utilities/StickyNote): a
// canvas annotation with one text field. It has no connections and never
// runs.
var stickyNote = node.Definition{
	Spec: node.Spec{
		Label:       "Sticky Note",
		Name:        "stickyNote",
		Version:     2,
		Type:        "StickyNote",
		Icon:        "stickyNote.svg",
		Category:    "Utilities",
		Tags:        []string{"Utilities"},
		Description: "Add a sticky note",
		BaseClasses: []string{"StickyNote"},
		Inputs: []node.Param{
			{
				Label:       "",
				Name:        inNote,
				Type:        node.TypeString,
				Rows:        1,
				Placeholder: "Type something here",
				Optional:    true,
			},
		},
	},
	Init: initStickyNote,
}

// note is a sticky note's instance. It deliberately implements no domain
// interface and not node.Runner: the engine skips it.
type note struct {
	text string
}

func initStickyNote(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	text, err := data.String(inNote, "")
	if err != nil {
		return nil, err
	}
	return &note{text: text}, nil
}
