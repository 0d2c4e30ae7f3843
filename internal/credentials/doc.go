// Package credentials describes credential types and protects stored
// credential data.
//
// A credential type (openAIApi, anthropicApi, ...) is a [Spec] whose inputs
// reuse [node.Param]; [Register] adds the types Floe ships to a [Registry],
// which backs GET /api/v1/components-credentials. Stored credential data is
// encrypted at rest with a [Cipher] (AES-256-GCM) keyed by the secret that
// [LoadSecretKey] reads from the environment or from the encryption.key file.
package credentials
