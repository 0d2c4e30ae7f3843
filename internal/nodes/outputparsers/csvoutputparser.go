package outputparsers

import (
	"context"
	"errors"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// csvOutputParser mirrors Flowise's CSVListOutputParser
// (nodes/outputparsers/CSVListOutputParser): LangChain's
// CommaSeparatedListOutputParser, whose answer becomes a list of strings.
var csvOutputParser = node.Definition{
	Spec: node.Spec{
		Label:       "CSV Output Parser",
		Name:        "csvOutputParser",
		Version:     1,
		Type:        "CSVListOutputParser",
		Icon:        "csv.svg",
		Category:    category,
		Description: "Parse the output of an LLM call as a comma-separated list of values",
		BaseClasses: append([]string{"CSVListOutputParser"}, outputParserBase...),
		Inputs:      []node.Param{autofixParam},
	},
	Init: initCSVOutputParser,
}

func initCSVOutputParser(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	autofix, err := data.Bool(inAutofix, false)
	if err != nil {
		return nil, err
	}
	return &csvParser{autofix: autofix}, nil
}

// csvParser splits an answer on commas.
type csvParser struct {
	autofix bool
}

// FormatInstructions asks for comma-separated values.
func (p *csvParser) FormatInstructions() string {
	return "Answer with a list of comma-separated values and nothing else, for example: `foo, bar, baz`"
}

// Parse returns the answer's comma-separated items as a []string, each
// trimmed, skipping empty items. A ``` fence around the list is dropped.
func (p *csvParser) Parse(text string) (any, error) {
	items := []string{}
	for item := range strings.SplitSeq(unfence(text), ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	if len(items) == 0 {
		return nil, errors.New("parsing output: the answer holds no comma-separated values")
	}
	return items, nil
}

// AutoFix reports the node's autofixParser input.
func (p *csvParser) AutoFix() bool { return p.autofix }

var _ llm.OutputParser = (*csvParser)(nil)
