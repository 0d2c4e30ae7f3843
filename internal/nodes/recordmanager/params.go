package recordmanager

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
	pgprovider "github.com/floehq/floe/internal/provider/postgres"
)

// Input names shared by the record manager nodes (Flowise's names).
const (
	inAdditionalConfig = "additionalConfig"
	inTableName        = "tableName"
	inNamespace        = "namespace"
	inCleanup          = "cleanup"
	inSourceIDKey      = "sourceIdKey"
)

const (
	category     = "Record Manager"
	defaultTable = "upsertion_records"
)

func additionalConfigParam() node.Param {
	return node.Param{
		Label: "Additional Connection Configuration",
		Name:  inAdditionalConfig,
		Type:  node.TypeJSON,
		Description: "Optional TypeORM connection options (e.g. ssl, connectTimeout). entities, subscribers, migrations, " +
			"and extra are not allowed.",
		AdditionalParams: true,
		Optional:         true,
	}
}

// commonParams are the table, namespace and indexing inputs every record
// manager node ends with.
func commonParams() []node.Param {
	return []node.Param{
		{Label: "Table Name", Name: inTableName, Type: node.TypeString, Placeholder: defaultTable, AdditionalParams: true, Optional: true},
		{Label: "Namespace", Name: inNamespace, Type: node.TypeString, AdditionalParams: true, Optional: true},
		{
			Label: "Cleanup",
			Name:  inCleanup,
			Type:  node.TypeOptions,
			Description: `Read more on the difference between different cleanup methods <a target="_blank" ` +
				`href="https://js.langchain.com/docs/modules/data_connection/indexing/#deletion-modes">here</a>`,
			Options: []node.Option{
				{Label: "None", Name: llm.CleanupNone, Description: "No clean up of old content"},
				{
					Label: "Incremental",
					Name:  llm.CleanupIncremental,
					Description: "Delete previous versions of the content if content of the source document has changed. " +
						"Important!! SourceId Key must be specified and document metadata must contains the specified key",
				},
				{
					Label: "Full",
					Name:  llm.CleanupFull,
					Description: "Same as incremental, but if the source document has been deleted, it will be deleted from " +
						"vector store as well, incremental mode will not.",
				},
			},
			AdditionalParams: true,
			Default:          llm.CleanupNone,
		},
		{
			Label: "SourceId Key",
			Name:  inSourceIDKey,
			Type:  node.TypeString,
			Description: "Key used to get the true source of document, to be compared against the record. Document metadata " +
				"must contains SourceId Key",
			Default:          llm.DefaultSourceIDKey,
			Placeholder:      llm.DefaultSourceIDKey,
			AdditionalParams: true,
			Optional:         true,
		},
	}
}

// settings are the table, namespace and indexing options of a record
// manager node.
type settings struct {
	table, namespace string
	opts             llm.IndexOptions
}

// readSettings reads the shared inputs; the namespace defaults to the
// chatflow id, as in Flowise.
func readSettings(data *node.Data, rt *node.Runtime) (settings, error) {
	var s settings
	table, err := data.String(inTableName, defaultTable)
	if err != nil {
		return s, err
	}
	if s.table, err = pgprovider.SanitizeTableName(table); err != nil {
		return s, fmt.Errorf("input %q: %w", inTableName, err)
	}
	ns, err := data.String(inNamespace, "")
	if err != nil {
		return s, err
	}
	if ns = strings.TrimSpace(ns); ns != "" {
		if !namespaceRE.MatchString(ns) {
			return s, fmt.Errorf("input %q: invalid namespace %q: use up to 128 letters, digits, _ and -", inNamespace, ns)
		}
		s.namespace = ns
	} else if rt != nil {
		s.namespace = rt.ChatflowID
	}
	if s.opts.Cleanup, err = data.String(inCleanup, llm.CleanupNone); err != nil {
		return s, err
	}
	switch s.opts.Cleanup {
	case llm.CleanupNone, llm.CleanupIncremental, llm.CleanupFull:
	default:
		return s, fmt.Errorf("input %q: unknown cleanup %q (want none, incremental or full)", inCleanup, s.opts.Cleanup)
	}
	if s.opts.SourceIDKey, err = data.String(inSourceIDKey, llm.DefaultSourceIDKey); err != nil {
		return s, err
	}
	var extra map[string]any
	if err := data.JSON(inAdditionalConfig, &extra); err != nil {
		return s, err
	}
	return s, nil
}

var (
	namespaceRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
)
