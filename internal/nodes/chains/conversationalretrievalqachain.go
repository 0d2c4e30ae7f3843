package chains

import (
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inRetriever             = "vectorStoreRetriever"
	inReturnSourceDocuments = "returnSourceDocuments"
	inRephrasePrompt        = "rephrasePrompt"
	inResponsePrompt        = "responsePrompt"
)

const (
	defaultRephrasePrompt = "Given the following conversation and a follow up question, rephrase the follow up question to be a standalone question.\n\nChat History:\n{chat_history}\nFollow Up Input: {question}\nStandalone Question:"
	defaultResponsePrompt = "You are a helpful assistant. Using the provided context, answer the user's question to the best of your ability using the resources provided.\nIf there is nothing in the context relevant to the question at hand, just say \"Hmm, I'm not sure.\" Don't try to make up an answer.\n------------\n{context}\n------------\nREMEMBER: If there is no relevant information within the context, just say \"Hmm, I'm not sure.\" Don't try to make up an answer."
)

var conversationalRetrievalQAChain = node.Definition{
	Spec: node.Spec{
		Label:       "Conversational Retrieval QA Chain",
		Name:        "conversationalRetrievalQAChain",
		Version:     3,
		Type:        "ConversationalRetrievalQAChain",
		Icon:        "qa.svg",
		Category:    "Chains",
		Description: "Document QA - built on RetrievalQAChain to provide a chat history component",
		BaseClasses: []string{"ConversationalRetrievalQAChain", "BaseChain", "Runnable"},
		Inputs: []node.Param{
			{Label: "Chat Model", Name: inModel, Type: "BaseChatModel"},
			{Label: "Vector Store Retriever", Name: inRetriever, Type: "BaseRetriever"},
			{Label: "Memory", Name: inMemory, Type: "BaseMemory", Optional: true, Description: "If left empty, a default BufferMemory will be used"},
			{Label: "Input Moderation", Name: inInputModeration, Type: "Moderation", Optional: true, List: true,
				Description: "Detect text that could generate harmful output and prevent it from being sent to the language model"},
			{Label: "Return Source Documents", Name: inReturnSourceDocuments, Type: "boolean", Optional: true},
			{Label: "Rephrase Prompt", Name: inRephrasePrompt, Type: "string", Rows: 4, AdditionalParams: true, Optional: true,
				Default: defaultRephrasePrompt, Description: "Using previous chat history, rephrase question into a standalone question",
				Warning: "Prompt must include input variables: {chat_history} and {question}"},
			{Label: "Response Prompt", Name: inResponsePrompt, Type: "string", Rows: 4, AdditionalParams: true, Optional: true,
				Default: defaultResponsePrompt, Description: "Taking the rephrased question, search for answer from the provided context",
				Warning: "Prompt must include input variable: {context}"},
		},
	},
	Init: initConversationalRetrievalQAChain,
}

// convRetrievalChain rephrases a follow-up question with the history,
// retrieves documents for it and answers from them.
type convRetrievalChain struct {
	model      llm.ChatModel
	retriever  llm.Retriever
	memory     llm.Memory // nil: the stored chat history
	history    llm.HistoryReader
	chatflowID string
	mods       []llm.Moderator
	returnDocs bool
	rephrase   string
	response   string
}

func initConversationalRetrievalQAChain(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	c := &convRetrievalChain{history: rt.History, chatflowID: rt.ChatflowID}
	var err error
	if c.model, err = node.Input[llm.ChatModel](data, inModel); err != nil {
		return nil, err
	}
	if c.retriever, err = node.Input[llm.Retriever](data, inRetriever); err != nil {
		return nil, err
	}
	if data.Has(inMemory) {
		if c.memory, err = node.Input[llm.Memory](data, inMemory); err != nil {
			return nil, err
		}
	}
	if c.mods, err = moderators(data); err != nil {
		return nil, err
	}
	if c.returnDocs, err = data.Bool(inReturnSourceDocuments, false); err != nil {
		return nil, err
	}
	if c.rephrase, err = data.String(inRephrasePrompt, defaultRephrasePrompt); err != nil {
		return nil, err
	}
	if c.response, err = data.String(inResponsePrompt, defaultResponsePrompt); err != nil {
		return nil, err
	}
	return c, nil
}

// chatHistory is the memory's history, or the stored one without memory.
func (c *convRetrievalChain) chatHistory(ctx context.Context, sessionID string) ([]llm.Message, error) {
	if c.memory != nil {
		return c.memory.Messages(ctx, sessionID)
	}
	if c.history == nil || sessionID == "" {
		return nil, nil
	}
	return c.history.History(ctx, c.chatflowID, sessionID, 0)
}

// Run answers one question from the retrieved documents.
func (c *convRetrievalChain) Run(ctx context.Context, in node.RunInput, emit node.Emitter) (node.RunOutput, error) {
	if refusal, err := moderate(ctx, c.mods, in.Question); err != nil || refusal != "" {
		if err == nil {
			_ = emit.Emit(node.Event{Kind: node.EventToken, Data: refusal})
		}
		return node.RunOutput{Text: refusal}, err
	}
	stored, err := c.chatHistory(ctx, in.SessionID)
	if err != nil {
		return node.RunOutput{}, fmt.Errorf("reading chat history: %w", err)
	}
	history := append(append([]llm.Message{}, in.History...), stored...)
	var usage *llm.Usage
	standalone := in.Question
	if len(history) > 0 {
		prompt, err := llm.FormatFString(c.rephrase, map[string]string{"chat_history": historyLines(history), "question": in.Question})
		if err != nil {
			return node.RunOutput{}, fmt.Errorf("rephrase prompt: %w", err)
		}
		var u *llm.Usage
		standalone, u, err = generate(ctx, c.model, []llm.Message{{Role: llm.RoleUser, Content: prompt}}, nil)
		usage = usage.Add(u)
		if err != nil {
			return node.RunOutput{Usage: usage}, fmt.Errorf("rephrasing the question: %w", err)
		}
		standalone = strings.TrimSpace(standalone)
	}
	docs, err := c.retriever.Retrieve(ctx, standalone)
	if err != nil {
		return node.RunOutput{Usage: usage}, fmt.Errorf("retrieving documents: %w", err)
	}
	system, err := llm.FormatFString(c.response, map[string]string{"context": joinDocs(docs)})
	if err != nil {
		return node.RunOutput{Usage: usage}, fmt.Errorf("response prompt: %w", err)
	}
	msgs := append([]llm.Message{{Role: llm.RoleSystem, Content: system}}, history...)
	msgs = append(msgs, llm.Message{Role: llm.RoleUser, Content: in.Question})
	text, u, err := generate(ctx, c.model, msgs, emit)
	out := node.RunOutput{Text: text, Usage: usage.Add(u)}
	if c.returnDocs {
		out.SourceDocuments = docs
	}
	if err != nil {
		return out, err
	}
	if c.memory != nil {
		if err := c.memory.Append(ctx, in.SessionID, llm.Message{Role: llm.RoleUser, Content: in.Question}, llm.Message{Role: llm.RoleAssistant, Content: text}); err != nil {
			return out, fmt.Errorf("saving to memory: %w", err)
		}
	}
	return out, nil
}

// historyLines renders messages as "Human: ...\nAssistant: ..." lines.
func historyLines(msgs []llm.Message) string {
	var lines []string
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleUser:
			lines = append(lines, "Human: "+m.Content)
		case llm.RoleAssistant:
			lines = append(lines, "Assistant: "+m.Content)
		}
	}
	return strings.Join(lines, "\n")
}

// joinDocs is the {context} of a retrieval prompt.
func joinDocs(docs []llm.Document) string {
	parts := make([]string, len(docs))
	for i, d := range docs {
		parts[i] = d.PageContent
	}
	return strings.Join(parts, "\n\n")
}

var _ node.Runner = (*convRetrievalChain)(nil)
