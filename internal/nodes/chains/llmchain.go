package chains

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inPrompt       = "prompt"
	inOutputParser = "outputParser"
	inChainName    = "chainName"

	outLLMChain         = "llmChain"
	outOutputPrediction = "outputPrediction"
)

var llmChain = node.Definition{
	Spec: node.Spec{
		Label:       "LLM Chain",
		Name:        "llmChain",
		Version:     3,
		Type:        "LLMChain",
		Icon:        "LLM_Chain.svg",
		Category:    "Chains",
		Description: "Chain to run queries against LLMs",
		BaseClasses: []string{"LLMChain", "BaseChain", "Runnable"},
		Inputs: []node.Param{
			{Label: "Language Model", Name: inModel, Type: "BaseLanguageModel"},
			{Label: "Prompt", Name: inPrompt, Type: "BasePromptTemplate"},
			{Label: "Output Parser", Name: inOutputParser, Type: "BaseLLMOutputParser", Optional: true},
			{Label: "Input Moderation", Name: inInputModeration, Type: "Moderation", Optional: true, List: true,
				Description: "Detect text that could generate harmful output and prevent it from being sent to the language model"},
			{Label: "Chain Name", Name: inChainName, Type: "string", Placeholder: "Name Your Chain", Optional: true},
		},
		Outputs: []node.Output{
			{Label: "LLM Chain", Name: outLLMChain, BaseClasses: []string{"LLMChain", "BaseChain", "Runnable"}},
			{Label: "Output Prediction", Name: outOutputPrediction, BaseClasses: []string{"string", "json"}},
		},
	},
	Init: initLLMChain,
}

// chain fills a prompt, calls the model and parses the answer.
type chain struct {
	model  llm.ChatModel
	prompt llm.Prompt
	parser llm.OutputParser
	mods   []llm.Moderator
}

func initLLMChain(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	model, err := node.Input[llm.ChatModel](data, inModel)
	if err != nil {
		return nil, err
	}
	raw, _ := data.Raw(inPrompt)
	p, ok := asPrompt(raw)
	if !ok {
		return nil, fmt.Errorf("input %q: want a prompt template, got %T", inPrompt, raw)
	}
	c := &chain{model: model, prompt: p}
	if data.Has(inOutputParser) {
		if c.parser, err = node.Input[llm.OutputParser](data, inOutputParser); err != nil {
			return nil, err
		}
	}
	if c.mods, err = moderators(data); err != nil {
		return nil, err
	}
	if data.Outputs["output"] == outOutputPrediction {
		// The prediction is the instance: downstream prompts embed it.
		out, err := c.Run(ctx, node.RunInput{Question: rt.Question}, node.Discard)
		if err != nil {
			return nil, err
		}
		if out.JSON != nil {
			return out.JSON, nil
		}
		return out.Text, nil
	}
	return c, nil
}

// messages fills the prompt: promptValues first, the question for the one
// variable left without a value (an error when several are left).
func (c *chain) messages(question string) ([]llm.Message, error) {
	vals := maps.Clone(c.prompt.Values)
	if vals == nil {
		vals = map[string]string{}
	}
	system, human := c.prompt.System, c.prompt.Human
	if c.parser != nil {
		if fi := c.parser.FormatInstructions(); fi != "" {
			vals["format_instructions"] = fi
			if c.prompt.Chat && system != "" {
				system += "\n{format_instructions}"
			} else {
				human += "\n{format_instructions}"
			}
		}
	}
	var missing []string
	for _, v := range (llm.Prompt{System: system, Human: human}).Variables() {
		if _, ok := vals[v]; !ok {
			missing = append(missing, v)
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		vals[missing[0]] = question
	default:
		return nil, fmt.Errorf("please provide prompt values for: %s", strings.Join(missing, ", "))
	}
	var msgs []llm.Message
	if system != "" {
		s, err := llm.FormatFString(system, vals)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, llm.Message{Role: llm.RoleSystem, Content: s})
	}
	h, err := llm.FormatFString(human, vals)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(h) == "" && len(missing) == 0 && question != "" {
		h = question
	}
	return append(msgs, llm.Message{Role: llm.RoleUser, Content: h}), nil
}

// Run answers one question.
func (c *chain) Run(ctx context.Context, in node.RunInput, emit node.Emitter) (node.RunOutput, error) {
	if refusal, err := moderate(ctx, c.mods, in.Question); err != nil || refusal != "" {
		if err == nil {
			_ = emit.Emit(node.Event{Kind: node.EventToken, Data: refusal})
		}
		return node.RunOutput{Text: refusal}, err
	}
	msgs, err := c.messages(in.Question)
	if err != nil {
		return node.RunOutput{}, err
	}
	// Image uploads go with the human message, as Flowise's LLM Chain
	// adds them to its prompt.
	if len(in.Images) > 0 && len(msgs) > 0 {
		msgs[len(msgs)-1].Images = in.Images
	}
	if c.parser != nil {
		emit = nil // a parsed answer is not streamed token by token
	}
	text, usage, err := generate(ctx, c.model, msgs, emit)
	out := node.RunOutput{Text: text, Usage: usage}
	if err != nil || c.parser == nil {
		return out, err
	}
	parsed, perr := c.parser.Parse(text)
	if perr != nil && c.parser.AutoFix() {
		fix := []llm.Message{{Role: llm.RoleUser, Content: fixPrompt(c.parser.FormatInstructions(), text, perr)}}
		var fixed string
		var u *llm.Usage
		fixed, u, err = generate(ctx, c.model, fix, nil)
		out.Usage = out.Usage.Add(u)
		if err != nil {
			return out, err
		}
		parsed, perr = c.parser.Parse(fixed)
	}
	if perr != nil {
		return out, fmt.Errorf("parsing the model's answer: %w", perr)
	}
	if s, ok := parsed.(string); ok {
		return node.RunOutput{Text: s, Usage: out.Usage}, nil
	}
	return node.RunOutput{JSON: parsed, Usage: out.Usage}, nil
}

// fixPrompt asks the model to repair an answer that failed to parse.
func fixPrompt(instructions, answer string, err error) string {
	return "The answer below does not follow the required format.\n\nFormat instructions:\n" + instructions +
		"\n\nAnswer:\n" + answer + "\n\nProblem: " + err.Error() +
		"\n\nReply again with only an answer that follows the format instructions exactly."
}

var _ node.Runner = (*chain)(nil)
