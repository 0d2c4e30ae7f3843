// Package node is the plugin API that every Floe node implementation
// imports.
//
// A node type is one [Definition]: a static [Spec] (the JSON mirror of
// Flowise's INode, served by GET /api/v1/nodes), an [InitFunc] (Flowise's
// init) and optional named option loaders (Flowise's loadMethods). Init
// receives the node's saved configuration as [Data], read through typed
// getters that coerce Flowise's stringly-typed values in one place, and the
// services of a [Runtime]. It returns an instance that implements an
// interface from package llm; ending nodes also implement [Runner] and report
// progress through an [Emitter].
//
// Definitions are registered explicitly in a [Registry] built by main or by a
// test. [Registry.MustRegister] panics on an invalid spec so mistakes show at
// startup, never at request time.
//
// This package imports only the standard library and package llm.
package node
