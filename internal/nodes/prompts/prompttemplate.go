package prompts

import (
	"context"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inTemplate = "template"

// promptTemplate mirrors Flowise's PromptTemplate
// (nodes/prompts/PromptTemplate): one f-string template and the values of
// its variables.
var promptTemplate = node.Definition{
	Spec: node.Spec{
		Label:       "Prompt Template",
		Name:        "promptTemplate",
		Version:     1,
		Type:        "PromptTemplate",
		Icon:        "prompt.svg",
		Category:    "Prompts",
		Description: "Schema to represent a basic prompt for an LLM",
		BaseClasses: []string{"PromptTemplate", "BaseStringPromptTemplate", "BasePromptTemplate", "Runnable"},
		Inputs: []node.Param{
			{
				Label:       "Template",
				Name:        inTemplate,
				Type:        node.TypeString,
				Rows:        4,
				Placeholder: "What is a good name for a company that makes {product}?",
			},
			{
				Label:          "Format Prompt Values",
				Name:           inPromptValues,
				Type:           node.TypeJSON,
				Optional:       true,
				AcceptVariable: true,
				List:           true,
			},
		},
	},
	Init: initPromptTemplate,
}

// initPromptTemplate returns an [llm.Prompt] value whose Human template is
// the node's template, with colon groups such as {"a": 1} made literal, and
// whose Values come from promptValues.
func initPromptTemplate(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	tmpl, err := data.String(inTemplate, "")
	if err != nil {
		return nil, err
	}
	vals, err := promptValues(data)
	if err != nil {
		return nil, err
	}
	return llm.Prompt{Human: escapeColonGroups(tmpl), Values: vals}, nil
}
