package credentials

import "github.com/floehq/floe/internal/node"

// Credential types of the OpenAI-compatible chat model nodes, each
// mirroring the Flowise file named beside it.

// deepseekAPI mirrors DeepseekApi.credential.ts.
var deepseekAPI = Spec{
	Label:   "DeepseekAI API",
	Name:    "deepseekApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "DeepseekAI API Key", Name: "deepseekApiKey", Type: node.TypePassword}},
}

// openRouterAPI mirrors OpenRouterApi.credential.ts.
var openRouterAPI = Spec{
	Label:   "OpenRouter API Key",
	Name:    "openRouterApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "OpenRouter API Key", Name: "openRouterApiKey", Type: node.TypePassword, Description: "API Key"}},
}

// togetherAIAPI mirrors TogetherAIApi.credential.ts.
var togetherAIAPI = Spec{
	Label:   "TogetherAI API",
	Name:    "togetherAIApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "TogetherAI Api Key", Name: "togetherAIApiKey", Type: node.TypePassword}},
}

// localAIAPI mirrors LocalAIApi.credential.ts.
var localAIAPI = Spec{
	Label:   "LocalAI API",
	Name:    "localAIApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "LocalAI Api Key", Name: "localAIApiKey", Type: node.TypePassword}},
}

// redisCacheURLAPI mirrors RedisCacheUrlApi.credential.ts.
var redisCacheURLAPI = Spec{
	Label:   "Redis Cache URL",
	Name:    "redisCacheUrlApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "Redis URL", Name: "redisUrl", Type: node.TypeString, Default: "redis://localhost:6379"}},
}

// redisCacheAPI mirrors RedisCacheApi.credential.ts.
var redisCacheAPI = Spec{
	Label:   "Redis API",
	Name:    "redisCacheApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "Redis Host", Name: "redisCacheHost", Type: node.TypeString, Default: "127.0.0.1"},
		{Label: "Port", Name: "redisCachePort", Type: node.TypeNumber, Default: "6789"},
		{Label: "User", Name: "redisCacheUser", Type: node.TypeString, Placeholder: "<REDIS_USERNAME>"},
		{Label: "Password", Name: "redisCachePwd", Type: node.TypePassword, Placeholder: "<REDIS_PASSWORD>"},
		{Label: "Use SSL", Name: "redisCacheSslEnabled", Type: node.TypeBoolean},
	},
}

// cohereAPI mirrors CohereApi.credential.ts.
var cohereAPI = Spec{
	Label:   "Cohere API",
	Name:    "cohereApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "Cohere Api Key", Name: "cohereApiKey", Type: node.TypePassword}},
}

// voyageAIAPI mirrors VoyageAIApi.credential.ts.
var voyageAIAPI = Spec{
	Label:       "Voyage AI API",
	Name:        "voyageAIApi",
	Version:     1,
	Description: `Refer to the <a target="_blank" href="https://docs.voyageai.com/install/#authentication-with-api-keys">official guide</a> on how to get an API key.`,
	Inputs: []node.Param{
		{Label: "Voyage AI Endpoint", Name: "endpoint", Type: node.TypeString, Default: "https://api.voyageai.com/v1/embeddings"},
		{Label: "Voyage AI API Key", Name: "apiKey", Type: node.TypePassword},
	},
}

// githubAPI mirrors GithubApi.credential.ts.
var githubAPI = Spec{
	Label:   "Github API",
	Name:    "githubApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "Access Token", Name: "accessToken", Type: node.TypePassword, Placeholder: "<GITHUB_ACCESS_TOKEN>"}},
}

// postgresAPI mirrors PostgresApi.credential.ts.
var postgresAPI = Spec{
	Label:   "Postgres API",
	Name:    "PostgresApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "User", Name: "user", Type: node.TypeString, Placeholder: "<POSTGRES_USERNAME>"},
		{Label: "Password", Name: "password", Type: node.TypePassword, Placeholder: "<POSTGRES_PASSWORD>"},
	},
}

// pineconeAPI mirrors PineconeApi.credential.ts.
var pineconeAPI = Spec{
	Label:   "Pinecone API",
	Name:    "pineconeApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "Pinecone Api Key", Name: "pineconeApiKey", Type: node.TypePassword}},
}

// qdrantAPI mirrors QdrantApi.credential.ts.
var qdrantAPI = Spec{
	Label:   "Qdrant API",
	Name:    "qdrantApi",
	Version: 1,
	Inputs:  []node.Param{{Label: "Qdrant API Key", Name: "qdrantApiKey", Type: node.TypePassword}},
}

// chromaAPI mirrors ChromaApi.credential.ts.
var chromaAPI = Spec{
	Label:   "Chroma API",
	Name:    "chromaApi",
	Version: 1,
	Inputs: []node.Param{
		{Label: "Chroma Api Key", Name: "chromaApiKey", Type: node.TypePassword},
		{Label: "Chroma Tenant", Name: "chromaTenant", Type: node.TypeString},
		{Label: "Chroma Database", Name: "chromaDatabase", Type: node.TypeString},
	},
}
