-- Floe's initial schema, with Flowise's table and column names.
-- Timestamps are TEXT in the fixed-width layout 2006-01-02T15:04:05.000Z
-- (UTC, milliseconds), so text order is time order. Booleans are 0/1.

-- +goose Up
CREATE TABLE chat_flow (
    id                        TEXT PRIMARY KEY,
    name                      TEXT NOT NULL,
    "flowData"                TEXT NOT NULL,
    deployed                  BOOLEAN,
    "isPublic"                BOOLEAN,
    apikeyid                  TEXT,
    "chatbotConfig"           TEXT,
    "apiConfig"               TEXT,
    analytic                  TEXT,
    "speechToText"            TEXT,
    "textToSpeech"            TEXT,
    "followUpPrompts"         TEXT,
    category                  TEXT,
    "type"                    TEXT NOT NULL DEFAULT 'CHATFLOW',
    "mcpServerConfig"         TEXT,
    "webhookSecret"           TEXT,
    "webhookSecretConfigured" BOOLEAN NOT NULL DEFAULT 0,
    "workspaceId"             TEXT NOT NULL DEFAULT '',
    "createdDate"             TEXT NOT NULL,
    "updatedDate"             TEXT NOT NULL
);
CREATE INDEX idx_chat_flow_updated ON chat_flow ("updatedDate", id);
CREATE INDEX idx_chat_flow_apikeyid ON chat_flow (apikeyid);

CREATE TABLE chat_message (
    id                TEXT PRIMARY KEY,
    "role"            TEXT NOT NULL,
    chatflowid        TEXT NOT NULL,
    "executionId"     TEXT,
    content           TEXT NOT NULL,
    "sourceDocuments" TEXT,
    "usedTools"       TEXT,
    "fileAnnotations" TEXT,
    "agentReasoning"  TEXT,
    "reasonContent"   TEXT,
    "fileUploads"     TEXT,
    artifacts         TEXT,
    "action"          TEXT,
    "followUpPrompts" TEXT,
    "chatType"        TEXT NOT NULL,
    "chatId"          TEXT NOT NULL,
    "memoryType"      TEXT,
    "sessionId"       TEXT,
    "leadEmail"       TEXT,
    "createdDate"     TEXT NOT NULL
);
-- Listing a conversation filters on chatflowid and chatId or sessionId and
-- orders by ("createdDate", id): these indexes serve both without a sort.
CREATE INDEX idx_chat_message_flow_created ON chat_message (chatflowid, "createdDate", id);
CREATE INDEX idx_chat_message_flow_chat ON chat_message (chatflowid, "chatId", "createdDate", id);
CREATE INDEX idx_chat_message_flow_session ON chat_message (chatflowid, "sessionId", "createdDate", id);

CREATE TABLE chat_message_feedback (
    id            TEXT PRIMARY KEY,
    chatflowid    TEXT NOT NULL,
    "chatId"      TEXT NOT NULL,
    "messageId"   TEXT NOT NULL UNIQUE,
    rating        TEXT NOT NULL,
    content       TEXT,
    "createdDate" TEXT NOT NULL
);
CREATE INDEX idx_chat_message_feedback_flow ON chat_message_feedback (chatflowid);
CREATE INDEX idx_chat_message_feedback_chat ON chat_message_feedback ("chatId");

CREATE TABLE apikey (
    id            TEXT PRIMARY KEY,
    "keyName"     TEXT NOT NULL,
    "apiKey"      TEXT NOT NULL,
    "keyHash"     TEXT NOT NULL UNIQUE,
    "apiSecret"   TEXT NOT NULL,
    permissions   TEXT NOT NULL DEFAULT '[]',
    "workspaceId" TEXT NOT NULL DEFAULT '',
    "createdDate" TEXT NOT NULL,
    "updatedDate" TEXT NOT NULL
);

CREATE TABLE variable (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    value         TEXT,
    "type"        TEXT NOT NULL DEFAULT 'string',
    "workspaceId" TEXT NOT NULL DEFAULT '',
    "createdDate" TEXT NOT NULL,
    "updatedDate" TEXT NOT NULL
);

CREATE TABLE credential (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    "credentialName" TEXT NOT NULL,
    "encryptedData"  TEXT NOT NULL,
    "workspaceId"    TEXT NOT NULL DEFAULT '',
    "createdDate"    TEXT NOT NULL,
    "updatedDate"    TEXT NOT NULL
);
CREATE INDEX idx_credential_name ON credential ("credentialName");

CREATE TABLE tool (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    color         TEXT NOT NULL,
    "iconSrc"     TEXT,
    "schema"      TEXT,
    "func"        TEXT,
    "workspaceId" TEXT NOT NULL DEFAULT '',
    "createdDate" TEXT NOT NULL,
    "updatedDate" TEXT NOT NULL
);

CREATE TABLE execution (
    id              TEXT PRIMARY KEY,
    "executionData" TEXT NOT NULL,
    "state"         TEXT NOT NULL,
    "agentflowId"   TEXT NOT NULL,
    "sessionId"     TEXT NOT NULL,
    "action"        TEXT,
    "isPublic"      BOOLEAN,
    "workspaceId"   TEXT NOT NULL DEFAULT '',
    "createdDate"   TEXT NOT NULL,
    "updatedDate"   TEXT NOT NULL,
    "stoppedDate"   TEXT
);
CREATE INDEX idx_execution_agentflow ON execution ("agentflowId");
CREATE INDEX idx_execution_session ON execution ("sessionId");

CREATE TABLE upsert_history (
    id          TEXT PRIMARY KEY,
    chatflowid  TEXT NOT NULL,
    "result"    TEXT NOT NULL,
    "flowData"  TEXT NOT NULL,
    "date"      TEXT NOT NULL
);
CREATE INDEX idx_upsert_history_flow ON upsert_history (chatflowid);

CREATE TABLE lead (
    id            TEXT PRIMARY KEY,
    name          TEXT,
    email         TEXT,
    phone         TEXT,
    chatflowid    TEXT NOT NULL,
    "chatId"      TEXT NOT NULL,
    "createdDate" TEXT NOT NULL
);
CREATE INDEX idx_lead_flow ON lead (chatflowid);

CREATE TABLE document_store (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    description           TEXT,
    loaders               TEXT,
    "whereUsed"           TEXT,
    status                TEXT NOT NULL,
    "vectorStoreConfig"   TEXT,
    "embeddingConfig"     TEXT,
    "recordManagerConfig" TEXT,
    "workspaceId"         TEXT NOT NULL DEFAULT '',
    "createdDate"         TEXT NOT NULL,
    "updatedDate"         TEXT NOT NULL
);

CREATE TABLE document_store_file_chunk (
    id            TEXT PRIMARY KEY,
    "docId"       TEXT NOT NULL,
    "storeId"     TEXT NOT NULL,
    "chunkNo"     INTEGER NOT NULL,
    "pageContent" TEXT NOT NULL,
    metadata      TEXT
);
CREATE INDEX idx_document_store_file_chunk_doc ON document_store_file_chunk ("docId");
CREATE INDEX idx_document_store_file_chunk_store ON document_store_file_chunk ("storeId");

-- +goose Down
DROP TABLE document_store_file_chunk;
DROP TABLE document_store;
DROP TABLE lead;
DROP TABLE upsert_history;
DROP TABLE execution;
DROP TABLE tool;
DROP TABLE credential;
DROP TABLE variable;
DROP TABLE apikey;
DROP TABLE chat_message_feedback;
DROP TABLE chat_message;
DROP TABLE chat_flow;
