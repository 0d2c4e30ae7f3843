package node

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// ErrUnknownNode reports a node name that no registered [Definition] has.
var ErrUnknownNode = errors.New("node: unknown node")

// Registry holds the node types a server offers, keyed by [Spec.Name]. Build
// one with [NewRegistry] in main or in a test and fill it with
// [Registry.MustRegister]; there is no package-level registry. A Registry is
// safe for concurrent use.
type Registry struct {
	mu   sync.RWMutex // guards defs
	defs map[string]Definition
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{defs: make(map[string]Definition)}
}

// MustRegister adds def to the registry. It panics, naming the node, when the
// name is already registered or def is invalid: an empty name, label,
// category or type, a nil Init, a param of unknown type, a default that does
// not fit its param's type, an options or multiOptions param without
// options, a credential param without credentialNames, or a loadMethod with
// no matching entry in def.Load. Registration happens at startup, so a panic
// is a programming error caught by the first test or run.
func (r *Registry) MustRegister(def Definition) {
	if err := def.validate(); err != nil {
		panic(fmt.Sprintf("node: registering %q: %v", def.Spec.Name, err))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.defs[def.Spec.Name]; dup {
		panic(fmt.Sprintf("node: registering %q: duplicate name", def.Spec.Name))
	}
	r.defs[def.Spec.Name] = def
}

// Lookup returns the definition registered under name. For an unregistered
// name it returns an error wrapping [ErrUnknownNode].
func (r *Registry) Lookup(name string) (Definition, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	def, ok := r.defs[name]
	if !ok {
		return Definition{}, fmt.Errorf("%w %q", ErrUnknownNode, name)
	}
	return def, nil
}

// List returns every registered definition, sorted by name.
func (r *Registry) List() []Definition {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.SortedFunc(maps.Values(r.defs), func(a, b Definition) int {
		return cmp.Compare(a.Spec.Name, b.Spec.Name)
	})
}

// validate reports the first problem of def, as listed on MustRegister.
func (def Definition) validate() error {
	s := def.Spec
	for _, f := range []struct{ field, value string }{
		{"name", s.Name},
		{"label", s.Label},
		{"category", s.Category},
		{"type", s.Type},
	} {
		if f.value == "" {
			return fmt.Errorf("empty %s", f.field)
		}
	}
	if def.Init == nil {
		return errors.New("nil Init")
	}
	if s.Credential != nil {
		if s.Credential.Type != TypeCredential {
			return fmt.Errorf("credential param has type %q, want %q", s.Credential.Type, TypeCredential)
		}
		if err := s.Credential.Validate(); err != nil {
			return fmt.Errorf("credential: %w", err)
		}
	}
	var params []Param
	if s.Credential != nil {
		params = append(params, *s.Credential)
	}
	params = append(params, s.Inputs...)
	for _, p := range params {
		if err := p.Validate(); err != nil {
			return err
		}
		if err := def.checkLoadMethods(p); err != nil {
			return err
		}
	}
	for i, o := range s.Outputs {
		if o.Name == "" {
			return fmt.Errorf("output %d has no name", i)
		}
	}
	return nil
}

// checkLoadMethods reports a loadMethod of p or its sub-params that def.Load
// does not provide.
func (def Definition) checkLoadMethods(p Param) error {
	if p.LoadMethod != "" && def.Load[p.LoadMethod] == nil {
		return fmt.Errorf("param %q: loadMethod %q not in Load", p.Name, p.LoadMethod)
	}
	for _, sub := range slices.Concat(p.Array, p.Tabs) {
		if err := def.checkLoadMethods(sub); err != nil {
			return fmt.Errorf("param %q: %w", p.Name, err)
		}
	}
	return nil
}
