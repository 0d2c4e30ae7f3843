package chatmodels

import (
	"fmt"
	"testing"

	"github.com/floehq/floe/internal/node"
)

// fmtDefault formats a spec default as Flowise's JSON shows it.
func fmtDefault(v any) string { return fmt.Sprint(v) }

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid or duplicate spec
	for _, def := range r.List() {
		if def.Spec.Category != "Chat Models" {
			t.Errorf("%s: category = %q, want Chat Models", def.Spec.Name, def.Spec.Category)
		}
	}
}
