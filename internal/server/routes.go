package server

// access says who may call a route. The zero value is admin: a route is
// public only when the table says so.
type access int

const (
	admin  access = iota // an API key, HTTP Basic (when configured), or loopback while no key exists
	public               // anyone; the handler applies its own checks (chatflow key, isPublic, ...)
)

// route is one row of the route table.
type route struct {
	pattern string
	access  access
	h       handlerFunc
}

// routes is the one route table. Every /api/v1 path Floe serves is here,
// and only the rows marked public skip the admin gate.
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/ping", public, s.ping},
		{"GET /api/v1/version", public, s.getVersion},

		{"POST /api/v1/prediction/{id}", public, s.createPrediction},
		{"GET /api/v1/chatflows-streaming/{id}", public, s.chatflowStreaming},
		{"PUT /api/v1/chatmessage/abort/{chatflowid}/{chatid}", public, s.abortChatMessage},

		// Uploads in chat (reference §5).
		{"GET /api/v1/chatflows-uploads/{id}", public, s.chatflowUploads},
		{"GET /api/v1/public-chatbotConfig/{id}", public, s.publicChatbotConfig},
		{"POST /api/v1/attachments/{chatflowId}/{chatId}", public, s.createAttachments},
		{"GET /api/v1/get-upload-file", public, s.getUploadFile},
		{"POST /api/v1/text-to-speech/generate", public, s.textToSpeech},
		{"POST /api/v1/text-to-speech/abort", public, s.textToSpeech},
		{"GET /api/v1/text-to-speech/voices", public, s.textToSpeech},

		{"GET /api/v1/chatflows", admin, s.listChatflows},
		{"POST /api/v1/chatflows", admin, s.createChatflow},
		{"GET /api/v1/chatflows/{id}", admin, s.getChatflow},
		{"PUT /api/v1/chatflows/{id}", admin, s.updateChatflow},
		{"DELETE /api/v1/chatflows/{id}", admin, s.deleteChatflow},
		{"GET /api/v1/chatflows/apikey/{apikey}", public, s.chatflowsByAPIKey},
		{"GET /api/v1/public-chatflows/{id}", public, s.getPublicChatflow},

		{"GET /api/v1/apikey", admin, s.listAPIKeys},
		{"POST /api/v1/apikey", admin, s.createAPIKey},
		{"PUT /api/v1/apikey/{id}", admin, s.updateAPIKey},
		{"DELETE /api/v1/apikey/{id}", admin, s.deleteAPIKey},
		{"GET /api/v1/verify/apikey/{apikey}", public, s.verifyAPIKeyRoute},

		{"GET /api/v1/variables", admin, s.listVariables},
		{"POST /api/v1/variables", admin, s.createVariable},
		{"PUT /api/v1/variables/{id}", admin, s.updateVariable},
		{"DELETE /api/v1/variables/{id}", admin, s.deleteVariable},

		{"GET /api/v1/credentials", admin, s.listCredentials},
		{"POST /api/v1/credentials", admin, s.createCredential},
		{"GET /api/v1/credentials/{id}", admin, s.getCredential},
		{"PUT /api/v1/credentials/{id}", admin, s.updateCredential},
		{"DELETE /api/v1/credentials/{id}", admin, s.deleteCredential},

		{"GET /api/v1/tools", admin, s.listTools},
		{"POST /api/v1/tools", admin, s.createTool},
		{"GET /api/v1/tools/{id}", admin, s.getTool},
		{"PUT /api/v1/tools/{id}", admin, s.updateTool},
		{"DELETE /api/v1/tools/{id}", admin, s.deleteTool},

		// Message API, feedback and leads (chatmessages.go, feedback.go, leads.go).
		{"GET /api/v1/chatmessage/{id}", admin, s.listChatMessages},
		{"DELETE /api/v1/chatmessage/{id}", admin, s.deleteChatMessages},
		{"POST /api/v1/feedback", public, s.createFeedback},
		{"POST /api/v1/feedback/{id}", public, s.createFeedback}, // the chat widget's URL; {id} is the chatflow
		{"PUT /api/v1/feedback/{id}", public, s.updateFeedback},
		{"GET /api/v1/feedback/{id}", admin, s.listFeedback}, // public in Flowise
		{"POST /api/v1/leads", public, s.createLead},
		{"POST /api/v1/leads/{$}", public, s.createLead}, // the chat widget's URL
		{"GET /api/v1/leads/{id}", admin, s.listLeads},
		// END message API

		{"POST /api/v1/vector/upsert/{id}", admin, s.upsertVector},
		{"GET /api/v1/upsert-history/{id}", admin, s.listUpsertHistory},
		{"PATCH /api/v1/upsert-history/{$}", admin, s.deleteUpsertHistory},
		{"PATCH /api/v1/upsert-history/{id}", admin, s.deleteUpsertHistory},

		{"GET /api/v1/nodes", admin, s.listNodes},
		{"GET /api/v1/nodes/{name}", admin, s.getNode},
		{"GET /api/v1/components-credentials", admin, s.listCredentialSpecs},
		{"GET /api/v1/components-credentials/{name}", admin, s.getCredentialSpec},
	}
}
