package credentials

import "github.com/floehq/floe/internal/node"

// Register adds the credential types Floe ships to r. Each spec keeps the
// label, name, version and input names of the Flowise file named beside it
// (packages/components/credentials/), so saved credentials and node specs
// stay compatible; descriptions are Floe's own wording.
func Register(r *Registry) {
	for _, s := range []Spec{
		openAIAPI, anthropicAPI, googleGenerativeAI, azureOpenAIAPI, groqAPI, mistralAIAPI, ollamaAPI,
		deepseekAPI, openRouterAPI, togetherAIAPI, localAIAPI, redisCacheURLAPI, redisCacheAPI,
		cohereAPI, voyageAIAPI, githubAPI, postgresAPI, pineconeAPI, qdrantAPI, chromaAPI,
	} {
		r.MustRegister(s)
	}
}

// openAIAPI mirrors OpenAIApi.credential.ts.
var openAIAPI = Spec{
	Label:   "OpenAI API",
	Name:    "openAIApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "OpenAI Api Key", Name: "openAIApiKey", Type: node.TypePassword},
	},
}

// anthropicAPI mirrors AnthropicApi.credential.ts.
var anthropicAPI = Spec{
	Label:   "Anthropic API",
	Name:    "anthropicApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "Anthropic Api Key", Name: "anthropicApiKey", Type: node.TypePassword},
	},
}

// googleGenerativeAI mirrors GoogleGenerativeAI.credential.ts.
var googleGenerativeAI = Spec{
	Label:       "Google Generative AI",
	Name:        "googleGenerativeAI",
	Version:     1,
	Description: `Get an API key from <a target="_blank" href="https://ai.google.dev/tutorials/setup">Google AI for Developers</a>.`,
	Inputs: []node.Param{
		{Label: "Google AI API Key", Name: "googleGenerativeAPIKey", Type: node.TypePassword},
	},
}

// azureOpenAIAPI mirrors AzureOpenAIApi.credential.ts.
var azureOpenAIAPI = Spec{
	Label:       "Azure OpenAI API",
	Name:        "azureOpenAIApi",
	Version:     1,
	Description: `See the <a target="_blank" href="https://azure.microsoft.com/en-us/products/cognitive-services/openai-service">Azure OpenAI service</a> documentation.`,
	Inputs: []node.Param{
		{
			Label:       "Azure OpenAI Api Key",
			Name:        "azureOpenAIApiKey",
			Type:        node.TypePassword,
			Description: `How to <a target="_blank" href="https://learn.microsoft.com/en-us/azure/cognitive-services/openai/quickstart?tabs=command-line&pivots=rest-api#set-up">get an Azure OpenAI API key</a>.`,
		},
		{
			Label:       "Azure OpenAI Api Instance Name",
			Name:        "azureOpenAIApiInstanceName",
			Type:        node.TypeString,
			Placeholder: "YOUR-INSTANCE-NAME",
		},
		{
			Label:       "Azure OpenAI Api Deployment Name",
			Name:        "azureOpenAIApiDeploymentName",
			Type:        node.TypeString,
			Placeholder: "YOUR-DEPLOYMENT-NAME",
		},
		{
			Label:       "Azure OpenAI Api Version",
			Name:        "azureOpenAIApiVersion",
			Type:        node.TypeString,
			Placeholder: "2024-10-21",
			Description: `Supported versions are listed in the <a target="_blank" href="https://learn.microsoft.com/en-us/azure/ai-foundry/openai/api-version-lifecycle">API version lifecycle</a>.`,
		},
	},
}

// groqAPI mirrors GroqApi.credential.ts.
var groqAPI = Spec{
	Label:   "Groq API",
	Name:    "groqApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "Groq Api Key", Name: "groqApiKey", Type: node.TypePassword},
	},
}

// mistralAIAPI mirrors MistralApi.credential.ts.
var mistralAIAPI = Spec{
	Label:       "MistralAI API",
	Name:        "mistralAIApi",
	Version:     1,
	Description: `Get an API key from the <a target="_blank" href="https://console.mistral.ai/">Mistral console</a>.`,
	Inputs: []node.Param{
		{Label: "MistralAI API Key", Name: "mistralAIAPIKey", Type: node.TypePassword},
	},
}

// ollamaAPI mirrors Ollama.credential.ts. Flowise's ChatOllama offers it as
// an optional credential (credentialNames ["ollamaApi"]) for Ollama servers
// behind a bearer-token proxy; a local Ollama needs none.
var ollamaAPI = Spec{
	Label:   "Ollama API",
	Name:    "ollamaApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "Ollama Api Key", Name: "ollamaApiKey", Type: node.TypePassword},
	},
}
