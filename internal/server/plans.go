package server

import (
	"hash/maphash"
	"strings"
	"sync"

	"github.com/floehq/floe/internal/engine"
	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/store"
)

// planCache keeps compiled flows per chatflow so a prediction does not
// parse and compile flowData again. An entry is valid while the stored
// flowData hashes the same, so edits (on any replica) are seen at once.
type planCache struct {
	seed maphash.Seed
	mu   sync.Mutex
	// guards plans
	plans map[string]cachedPlan
}

type cachedPlan struct {
	sum  uint64
	flow *flow.Flow
	plan *engine.Plan
	err  error
	// usesVars is false when flowData has no $vars reference, so a run
	// can skip loading variables.
	usesVars bool
}

const planCacheMax = 4096

func newPlanCache() *planCache {
	return &planCache{seed: maphash.MakeSeed(), plans: map[string]cachedPlan{}}
}

// plan returns the parsed and compiled flow of cf. A flow that does not
// parse or compile is cached too, with its error.
func (s *Server) plan(cf *store.ChatFlow) (*flow.Flow, *engine.Plan, error) {
	p := s.cachedPlan(cf)
	return p.flow, p.plan, p.err
}

func (s *Server) cachedPlan(cf *store.ChatFlow) cachedPlan {
	c := s.plans
	sum := maphash.String(c.seed, cf.FlowData)
	c.mu.Lock()
	p, ok := c.plans[cf.ID]
	c.mu.Unlock()
	if ok && p.sum == sum {
		return p
	}
	p = cachedPlan{sum: sum, usesVars: strings.Contains(cf.FlowData, "$vars")}
	p.flow, p.err = flow.Parse([]byte(cf.FlowData))
	if p.err == nil {
		p.plan, p.err = s.engine.Compile(p.flow)
	}
	c.mu.Lock()
	if len(c.plans) >= planCacheMax {
		clear(c.plans)
	}
	c.plans[cf.ID] = p
	c.mu.Unlock()
	return p
}
