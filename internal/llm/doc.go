// Package llm is Floe's domain vocabulary: the values and small interfaces
// that nodes, the engine and vendor providers share, such as [Message],
// [Document], [ChatModel] and [Embedder].
//
// It is a leaf package: it imports only the standard library, so every other
// package may depend on it without creating cycles. Implementations live
// elsewhere (node categories under internal/nodes, vendor clients under
// internal/provider); fakes for tests belong in llm/llmtest.
//
// The package grows with the nodes that need it. Each interface stays small
// (one or two methods) and documents who owns streams, ordering and
// concurrency.
package llm
