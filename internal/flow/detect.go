package flow

// DetectType returns [TypeAgentflow] when f is an Agentflow V2: a node has
// category "Agent Flows", is the "startAgentflow" component, or has the V2
// node type "agentFlow" or "iteration". Otherwise it returns
// [TypeChatflow], including for the older multi-agent flows.
func DetectType(f *Flow) string {
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Data.Category == "Agent Flows" || n.Data.Name == "startAgentflow" ||
			n.Type == NodeTypeAgentFlow || n.Type == NodeTypeIteration {
			return TypeAgentflow
		}
	}
	return TypeChatflow
}
