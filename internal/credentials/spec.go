package credentials

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/floehq/floe/internal/node"
)

// ErrUnknownCredential reports a credential type name that no registered
// [Spec] has.
var ErrUnknownCredential = errors.New("credentials: unknown credential type")

// Spec describes a credential type: the JSON mirror of Flowise's
// INodeCredential (packages/components/credentials/*.credential.ts) as GET
// /api/v1/components-credentials returns it.
type Spec struct {
	// Label is the display name, e.g. "OpenAI API". Required.
	Label string `json:"label"`
	// Name is the credential type key that nodes list in a credential
	// param's CredentialNames and that stored credentials record as
	// credentialName, e.g. "openAIApi". Required and unique.
	Name string `json:"name"`
	// Version is the credential type's version.
	Version float64 `json:"version"`
	// Description is help text, which may contain HTML links.
	Description string `json:"description,omitempty"`
	// Inputs are the fields of the credential, e.g. openAIApiKey.
	Inputs []node.Param `json:"inputs,omitempty"`
}

// PasswordInputs returns the names of the inputs of type password, in input
// order: the fields whose values must be redacted before stored credential
// data is shown to a client.
func (s Spec) PasswordInputs() []string {
	var names []string
	for _, p := range s.Inputs {
		if p.Type == node.TypePassword {
			names = append(names, p.Name)
		}
	}
	return names
}

// validate reports the first problem of s.
func (s Spec) validate() error {
	if s.Name == "" {
		return errors.New("empty name")
	}
	if s.Label == "" {
		return errors.New("empty label")
	}
	for _, p := range s.Inputs {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Registry holds credential types keyed by [Spec.Name]. Build one with
// [NewRegistry] and fill it with [Register]. A Registry is safe for
// concurrent use.
type Registry struct {
	mu    sync.RWMutex // guards specs
	specs map[string]Spec
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{specs: make(map[string]Spec)}
}

// MustRegister adds s to the registry. It panics when the name is already
// registered or s is invalid: an empty name or label, or an input that fails
// [node.Param.Validate].
func (r *Registry) MustRegister(s Spec) {
	if err := s.validate(); err != nil {
		panic(fmt.Sprintf("credentials: registering %q: %v", s.Name, err))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.specs[s.Name]; dup {
		panic(fmt.Sprintf("credentials: registering %q: duplicate name", s.Name))
	}
	r.specs[s.Name] = s
}

// Lookup returns the credential type registered under name. For an
// unregistered name it returns an error wrapping [ErrUnknownCredential].
func (r *Registry) Lookup(name string) (Spec, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.specs[name]
	if !ok {
		return Spec{}, fmt.Errorf("%w %q", ErrUnknownCredential, name)
	}
	return s, nil
}

// List returns every registered credential type, sorted by name.
func (r *Registry) List() []Spec {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.SortedFunc(maps.Values(r.specs), func(a, b Spec) int {
		return cmp.Compare(a.Name, b.Name)
	})
}
