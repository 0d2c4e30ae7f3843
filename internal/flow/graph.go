package flow

import (
	"errors"
	"fmt"
	"slices"
)

// Errors from graph queries; both mean the flow cannot run as saved.
var (
	// ErrNoEndingNode: no node qualifies to answer (Flowise: "Ending node
	// must be either a Chain or Agent or Engine").
	ErrNoEndingNode = errors.New("flow: ending node must be either a Chain or Agent or Engine")
	// ErrCycle: the nodes feeding the ending node depend on each other.
	ErrCycle = errors.New("flow: the flow has a cycle")
)

// endingCategories are the categories whose nodes may end a V1 flow.
var endingCategories = []string{"Chains", "Agents", "Engine", "Multi Agents", "Sequential Agents"}

// EndingNode finds the node a V1 flow runs, as Flowise's getEndingNodes
// does: among nodes with no outgoing edge and at least one incoming edge
// (or the only node of the flow), the valid ones are those whose category is
// Chains, Agents, Engine, Multi Agents or Sequential Agents, or whose chosen
// output is "EndingNode". When several are valid the last one wins.
func (f *Flow) EndingNode() (*Node, error) {
	out := map[string]int{}
	in := map[string]int{}
	for _, e := range f.Edges {
		out[e.Source]++
		in[e.Target]++
	}
	var real []*Node
	for i := range f.Nodes {
		if !f.Nodes[i].IsStickyNote() {
			real = append(real, &f.Nodes[i])
		}
	}
	var found *Node
	for _, n := range real {
		candidate := out[n.ID] == 0 && (in[n.ID] > 0 || len(real) == 1)
		if !candidate {
			continue
		}
		if slices.Contains(endingCategories, n.Data.Category) || n.Data.Outputs["output"] == "EndingNode" {
			found = n
		}
	}
	if found == nil {
		return nil, ErrNoEndingNode
	}
	return found, nil
}

// Order returns the ids of end and of every node it depends on (through
// edges, transitively), in an order where each node comes after all of its
// sources: the build order. Sticky notes never appear. Ties keep the order
// of f.Nodes, so the result is deterministic.
func (f *Flow) Order(end string) ([]string, error) {
	preds := map[string][]string{}
	for _, e := range f.Edges {
		preds[e.Target] = append(preds[e.Target], e.Source)
	}
	need := map[string]bool{end: true}
	stack := []string{end}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range preds[id] {
			if !need[p] {
				need[p] = true
				stack = append(stack, p)
			}
		}
	}
	indeg := map[string]int{}
	succ := map[string][]string{}
	for _, e := range f.Edges {
		if need[e.Source] && need[e.Target] {
			indeg[e.Target]++
			succ[e.Source] = append(succ[e.Source], e.Target)
		}
	}
	var order []string
	done := map[string]bool{}
	for len(order) < len(need) {
		progressed := false
		for i := range f.Nodes {
			id := f.Nodes[i].ID
			if !need[id] || done[id] || indeg[id] > 0 {
				continue
			}
			done[id] = true
			order = append(order, id)
			for _, s := range succ[id] {
				indeg[s]--
			}
			progressed = true
		}
		if !progressed {
			return nil, fmt.Errorf("ordering nodes before %q: %w", end, ErrCycle)
		}
	}
	return order, nil
}
