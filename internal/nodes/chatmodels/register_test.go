package chatmodels

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

// fmtDefault formats a spec default as Flowise's JSON shows it.
func fmtDefault(v any) string { return fmt.Sprint(v) }

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid or duplicate spec
	// Node name → accepted credential types, as in Flowise.
	want := map[string][]string{
		"azureChatOpenAI":        {"azureOpenAIApi"},
		"chatAnthropic":          {"anthropicApi"},
		"chatDeepseek":           {"deepseekApi"},
		"chatGoogleGenerativeAI": {"googleGenerativeAI"},
		"chatLocalAI":            {"localAIApi"},
		"chatMistralAI":          {"mistralAIApi"},
		"chatOllama":             {"ollamaApi"},
		"chatOpenAI":             {"openAIApi"},
		"chatOpenAICustom":       {"openAIApi"},
		"chatOpenRouter":         {"openRouterApi"},
		"chatTogetherAI":         {"togetherAIApi"},
		"groqChat":               {"groqApi"},
	}
	got := map[string][]string{}
	for _, def := range r.List() {
		s := def.Spec
		got[s.Name] = s.Credential.CredentialNames
		if s.Category != "Chat Models" {
			t.Errorf("%s: category = %q, want Chat Models", s.Name, s.Category)
		}
		if len(s.BaseClasses) < 2 || s.BaseClasses[0] != s.Type {
			t.Errorf("%s: base classes %v do not start with the type %q", s.Name, s.BaseClasses, s.Type)
		}
		if !slices.Contains(s.BaseClasses, "BaseChatModel") {
			t.Errorf("%s: base classes %v lack BaseChatModel, so no chain accepts it", s.Name, s.BaseClasses)
		}
		for _, p := range s.Inputs {
			if p.LoadMethod == "" {
				continue
			}
			opts, err := def.Load[p.LoadMethod](t.Context(), &node.Data{}, &node.Runtime{})
			if err != nil || len(opts) == 0 {
				t.Errorf("%s: %s() = %d options, %v; want some", s.Name, p.LoadMethod, len(opts), err)
			}
			if p.Default != nil && !slices.ContainsFunc(opts, func(o node.Option) bool { return o.Name == fmtDefault(p.Default) }) && s.Name != "chatGoogleGenerativeAI" {
				// Flowise's Gemini default (gemini-1.5-flash-latest) is no
				// longer in its own list; the others must be.
				t.Errorf("%s: default model %v is not among the listed models", s.Name, p.Default)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("registered nodes and credentials (-want +got):\n%s", diff)
	}
}
