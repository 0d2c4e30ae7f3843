package prompts

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inSystemMessagePrompt = "systemMessagePrompt"
	inHumanMessagePrompt  = "humanMessagePrompt"
	inMessageHistory      = "messageHistory"
	inMessageHistoryCode  = "messageHistoryCode"
	// tabMessages is Flowise's TAB_IDENTIFIER: the chosen tab is saved as
	// inputs["selectedMessagesTab_<nodeId>"].
	tabMessages = "selectedMessagesTab"
)

// chatPromptTemplate mirrors Flowise's ChatPromptTemplate
// (nodes/prompts/ChatPromptTemplate): a system and a human f-string
// template. The "Messages History" tab, whose JavaScript returns few-shot
// messages, is kept in the spec so imported flows keep their settings, but
// Floe runs no JavaScript: Init refuses a node that has such code.
var chatPromptTemplate = node.Definition{
	Spec: node.Spec{
		Label:       "Chat Prompt Template",
		Name:        "chatPromptTemplate",
		Version:     2,
		Type:        "ChatPromptTemplate",
		Icon:        "prompt.svg",
		Category:    "Prompts",
		Description: "Schema to represent a chat prompt",
		BaseClasses: []string{"ChatPromptTemplate", "BaseChatPromptTemplate", "BasePromptTemplate", "Runnable"},
		Inputs: []node.Param{
			{
				Label:       "System Message",
				Name:        inSystemMessagePrompt,
				Type:        node.TypeString,
				Rows:        4,
				Placeholder: "You are a helpful assistant that translates {input_language} to {output_language}.",
			},
			{
				Label:       "Human Message",
				Name:        inHumanMessagePrompt,
				Description: "This prompt will be added at the end of the messages as human message",
				Type:        node.TypeString,
				Rows:        4,
				Placeholder: "{text}",
			},
			{
				Label:          "Format Prompt Values",
				Name:           inPromptValues,
				Type:           node.TypeJSON,
				Optional:       true,
				AcceptVariable: true,
				List:           true,
			},
			{
				Label:            "Messages History",
				Name:             inMessageHistory,
				Description:      "Add messages after System Message. This is useful when you want to provide few shot examples",
				Type:             node.TypeTabs,
				TabIdentifier:    tabMessages,
				AdditionalParams: true,
				Default:          inMessageHistoryCode,
				Tabs: []node.Param{
					{
						Label:            "Add Messages (Code)",
						Name:             inMessageHistoryCode,
						Type:             node.TypeCode,
						HideCodeExecute:  true,
						CodeExample:      messageHistoryExample,
						Optional:         true,
						AdditionalParams: true,
					},
				},
			},
		},
	},
	Init: initChatPromptTemplate,
}

// messageHistoryExample is the sample shown in the code editor of the
// Messages History tab.
const messageHistoryExample = `const { AIMessage, HumanMessage } = require('@langchain/core/messages');

return [
    new HumanMessage("What is the capital of France?"),
    new AIMessage("Paris."),
]`

// initChatPromptTemplate returns an [llm.Prompt] value with Chat set, the
// system and human templates (colon groups made literal) and Values from
// promptValues. A non-empty messageHistoryCode is an error: it is
// JavaScript, which Floe does not execute.
func initChatPromptTemplate(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	system, err := data.String(inSystemMessagePrompt, "")
	if err != nil {
		return nil, err
	}
	human, err := data.String(inHumanMessagePrompt, "")
	if err != nil {
		return nil, err
	}
	code, err := data.String(inMessageHistoryCode, "")
	if err != nil {
		return nil, err
	}
	if code != "" {
		return nil, fmt.Errorf("input %q of node %q: running JavaScript message history is not supported; move the messages into the system message", inMessageHistoryCode, data.ID)
	}
	vals, err := promptValues(data)
	if err != nil {
		return nil, err
	}
	return llm.Prompt{
		System: escapeColonGroups(system),
		Human:  escapeColonGroups(human),
		Values: vals,
		Chat:   true,
	}, nil
}
