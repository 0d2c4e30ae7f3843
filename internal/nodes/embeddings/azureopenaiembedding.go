package embeddings

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/url"

	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/openai"
)

// azureOpenAIEmbeddings mirrors Flowise's AzureOpenAIEmbedding node
// (nodes/embeddings/AzureOpenAIEmbedding): embeddings on an Azure OpenAI
// deployment.
//
// The endpoint is <base>/<deployment>/embeddings?api-version=<v>, where base
// is the Base Path input (LangChain's azureOpenAIBasePath, the URL up to and
// including /openai/deployments), else AZURE_OPENAI_BASE_URL, else
// https://<instance>.openai.azure.com/openai/deployments. The key goes in
// the api-key header. As in LangChain, credential fields that are empty
// fall back to AZURE_OPENAI_API_KEY, AZURE_OPENAI_API_INSTANCE_NAME,
// AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME (then
// AZURE_OPENAI_API_DEPLOYMENT_NAME) and AZURE_OPENAI_API_VERSION. Without a
// Batch Size input each text is sent alone, LangChain's Azure default.
var azureOpenAIEmbeddings = node.Definition{
	Spec: node.Spec{
		Label:       "Azure OpenAI Embedding",
		Name:        "azureOpenAIEmbeddings",
		Version:     2,
		Type:        "AzureOpenAIEmbeddings",
		Icon:        "Azure.svg",
		Category:    category,
		Description: "Azure OpenAI API to generate embeddings for a given text",
		BaseClasses: []string{"AzureOpenAIEmbeddings", "OpenAIEmbeddings", "Embeddings"},
		Credential:  &node.Param{Label: credentialLabel, Name: "credential", Type: node.TypeCredential, CredentialNames: []string{"azureOpenAIApi"}},
		Inputs: []node.Param{
			{Label: "Batch Size", Name: inBatchSize, Type: node.TypeNumber, Default: "100", Optional: true, AdditionalParams: true},
			timeoutParam, basepathParam, baseOptionsParam,
		},
	},
	Init: initAzureOpenAIEmbeddings,
}

func initAzureOpenAIEmbeddings(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	const name = "azureOpenAIEmbeddings"
	wrap := func(err error) (any, error) { return nil, fmt.Errorf("%s: %w", name, err) }
	batchSize, err := positive(data, inBatchSize, 1)
	if err != nil {
		return wrap(err)
	}
	wait, err := timeout(data)
	if err != nil {
		return wrap(err)
	}
	hdrs, err := headers(data, inBaseOptions)
	if err != nil {
		return wrap(err)
	}
	base, err := data.String(inBasepath, "")
	if err != nil {
		return wrap(err)
	}
	cred := map[string]string{}
	for _, f := range []struct{ field, env, env2 string }{
		{"azureOpenAIApiKey", "AZURE_OPENAI_API_KEY", ""},
		{"azureOpenAIApiInstanceName", "AZURE_OPENAI_API_INSTANCE_NAME", ""},
		{"azureOpenAIApiDeploymentName", "AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME", "AZURE_OPENAI_API_DEPLOYMENT_NAME"},
		{"azureOpenAIApiVersion", "AZURE_OPENAI_API_VERSION", ""},
	} {
		v, err := node.CredentialParam(ctx, data, rt, f.field)
		if err != nil {
			return wrap(err)
		}
		cred[f.field] = cmp.Or(v, getenv(f.env))
		if f.env2 != "" {
			cred[f.field] = cmp.Or(cred[f.field], getenv(f.env2))
		}
	}
	instance, deployment, version := cred["azureOpenAIApiInstanceName"], cred["azureOpenAIApiDeploymentName"], cred["azureOpenAIApiVersion"]
	switch {
	case deployment == "":
		return nil, fmt.Errorf("%s: no azureOpenAIApiDeploymentName in the credential", name)
	case version == "":
		return nil, fmt.Errorf("%s: no azureOpenAIApiVersion in the credential", name)
	}
	def := ""
	if instance != "" {
		def = "https://" + instance + ".openai.azure.com/openai/deployments"
	}
	root := baseURL(base, "AZURE_OPENAI_BASE_URL", def)
	if root == "" {
		return nil, fmt.Errorf("%s: no azureOpenAIApiInstanceName in the credential and no base path", name)
	}
	all := map[string]string{"api-key": cred["azureOpenAIApiKey"]}
	maps.Copy(all, hdrs)
	return newOpenAI(openai.EmbedConfig{
		Node:       name,
		Provider:   "azure openai",
		BaseURL:    root + "/" + url.PathEscape(deployment),
		Headers:    all,
		Query:      map[string]string{"api-version": version},
		HTTPClient: rt.Client(),
		Timeout:    wait,
		// Azure picks the model by deployment; the body names it too.
		Model:          deployment,
		EncodingFormat: openai.EncodingBase64,
	}, batchSize, true)
}
