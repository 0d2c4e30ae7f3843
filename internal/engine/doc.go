// Package engine builds and runs flows. A chatflow (Flowise V1) run parses
// nothing itself: it takes a parsed [flow.Flow], finds the ending node,
// instantiates every node it depends on in dependency order through the
// node registry (resolving {{...}} references and applying the request's
// overrideConfig through the chatflow's allow-list), and runs the ending
// node, passing its events to an emitter. Errors carry the node that failed
// ([NodeError]); flows that cannot run as saved wrap [ErrUnrunnable].
package engine
