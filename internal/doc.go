// Package internal holds Floe's private packages and, in arch_test.go, the
// test that enforces their dependency direction (docs: STYLE.md §1):
//
//	cmd → server → {engine, store, node, credentials}
//	engine → {flow, node, llm}
//	nodes/* → {node, llm, provider/*, credentials}
//	node → llm
//	llm → standard library only
//	speechtotext → llm (and the standard library) only
//
// Node categories never import engine, server or store, nor each other
// (nodes/all excepted); shared code goes in llm or provider.
package internal
