package chains

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// defaultQAPrompt is LangChain's "stuff" question-answering prompt.
const defaultQAPrompt = "Use the following pieces of context to answer the question at the end. If you don't know the answer, just say that you don't know, don't try to make up an answer.\n\n{context}\n\nQuestion: {question}\nHelpful Answer:"

var retrievalQAChain = node.Definition{
	Spec: node.Spec{
		Label:       "Retrieval QA Chain",
		Name:        "retrievalQAChain",
		Version:     2,
		Type:        "RetrievalQAChain",
		Icon:        "qa.svg",
		Category:    "Chains",
		Description: "QA chain to answer a question based on the retrieved documents",
		BaseClasses: []string{"RetrievalQAChain", "BaseChain", "Runnable"},
		Inputs: []node.Param{
			{Label: "Language Model", Name: inModel, Type: "BaseLanguageModel"},
			{Label: "Vector Store Retriever", Name: inRetriever, Type: "BaseRetriever"},
			{Label: "Input Moderation", Name: inInputModeration, Type: "Moderation", Optional: true, List: true,
				Description: "Detect text that could generate harmful output and prevent it from being sent to the language model"},
		},
	},
	Init: initRetrievalQAChain,
}

// retrievalChain answers a question from the documents retrieved for it.
type retrievalChain struct {
	model     llm.ChatModel
	retriever llm.Retriever
	mods      []llm.Moderator
}

func initRetrievalQAChain(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	c := &retrievalChain{}
	var err error
	if c.model, err = node.Input[llm.ChatModel](data, inModel); err != nil {
		return nil, err
	}
	if c.retriever, err = node.Input[llm.Retriever](data, inRetriever); err != nil {
		return nil, err
	}
	if c.mods, err = moderators(data); err != nil {
		return nil, err
	}
	return c, nil
}

// Run answers one question.
func (c *retrievalChain) Run(ctx context.Context, in node.RunInput, emit node.Emitter) (node.RunOutput, error) {
	if refusal, err := moderate(ctx, c.mods, in.Question); err != nil || refusal != "" {
		if err == nil {
			_ = emit.Emit(node.Event{Kind: node.EventToken, Data: refusal})
		}
		return node.RunOutput{Text: refusal}, err
	}
	docs, err := c.retriever.Retrieve(ctx, in.Question)
	if err != nil {
		return node.RunOutput{}, fmt.Errorf("retrieving documents: %w", err)
	}
	prompt, err := llm.FormatFString(defaultQAPrompt, map[string]string{"context": joinDocs(docs), "question": in.Question})
	if err != nil {
		return node.RunOutput{}, err
	}
	text, usage, err := generate(ctx, c.model, []llm.Message{{Role: llm.RoleUser, Content: prompt}}, emit)
	return node.RunOutput{Text: text, Usage: usage}, err
}

var _ node.Runner = (*retrievalChain)(nil)
