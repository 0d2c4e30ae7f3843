package outputparsers

import (
	"context"
	"fmt"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const inJSONStructure = "jsonStructure"

// structuredOutputParser mirrors Flowise's StructuredOutputParser
// (nodes/outputparsers/StructuredOutputParser): a flat JSON object
// described by a grid of {property, type, description} rows. As in
// Flowise (convertSchemaToZod), a property is required only when its row
// has required: true; the others are optional but type-checked when
// present.
var structuredOutputParser = node.Definition{
	Spec: node.Spec{
		Label:       "Structured Output Parser",
		Name:        "structuredOutputParser",
		Version:     1,
		Type:        "StructuredOutputParser",
		Icon:        "structure.svg",
		Category:    category,
		Description: "Parse the output of an LLM call into a given (JSON) structure.",
		BaseClasses: append([]string{"StructuredOutputParser"}, outputParserBase...),
		Inputs: []node.Param{
			autofixParam,
			{
				Label:       "JSON Structure",
				Name:        inJSONStructure,
				Type:        node.TypeDatagrid,
				Description: "JSON structure for LLM to return",
				Datagrid: []map[string]any{
					{"field": "property", "headerName": "Property", "editable": true},
					{"field": "type", "headerName": "Type", "type": "singleSelect", "valueOptions": []string{"string", "number", "boolean"}, "editable": true},
					{"field": "description", "headerName": "Description", "editable": true, "flex": 1},
				},
				Default: []map[string]any{
					{"property": "answer", "type": "string", "description": "answer to the user's question"},
					{"property": "source", "type": "string", "description": "sources used to answer the question, should be websites"},
				},
				AdditionalParams: true,
			},
		},
	},
	Init: initStructuredOutputParser,
}

// structureRow is one row of the jsonStructure grid.
type structureRow struct {
	Property    string `json:"property"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Required    bool   `json:"required"`
}

func initStructuredOutputParser(_ context.Context, data *node.Data, _ *node.Runtime) (any, error) {
	autofix, err := data.Bool(inAutofix, false)
	if err != nil {
		return nil, err
	}
	var rows []structureRow
	if err := data.JSON(inJSONStructure, &rows); err != nil {
		return nil, err
	}
	s, err := structureSchema(rows)
	if err != nil {
		return nil, fmt.Errorf("input %q of node %q: %w", inJSONStructure, data.ID, err)
	}
	return &schemaParser{schema: s, autofix: autofix}, nil
}

// structureSchema turns grid rows into an object schema. Rows without a
// property name are skipped, as the grid's blank last row is.
func structureSchema(rows []structureRow) (*schema, error) {
	s := &schema{kind: kindObject}
	seen := map[string]bool{}
	for i, r := range rows {
		name := strings.TrimSpace(r.Property)
		if name == "" {
			continue
		}
		if seen[name] {
			return nil, fmt.Errorf("row %d: duplicate property %q", i+1, name)
		}
		seen[name] = true
		p := &schema{description: r.Description, optional: !r.Required}
		switch r.Type {
		case "string":
			p.kind = kindString
		case "number":
			p.kind = kindNumber
		case "boolean":
			p.kind = kindBoolean
		case "date":
			p.kind = kindDate
		default:
			return nil, fmt.Errorf("row %d: property %q has unsupported type %q (want string, number, boolean or date)", i+1, name, r.Type)
		}
		s.props = append(s.props, property{name: name, schema: p})
	}
	if len(s.props) == 0 {
		return nil, fmt.Errorf("no properties defined")
	}
	return s, nil
}

// schemaParser parses answers against a schema; the structured and the
// advanced structured parsers share it.
type schemaParser struct {
	schema  *schema
	autofix bool
}

// FormatInstructions asks for a ```json block conforming to the schema.
func (p *schemaParser) FormatInstructions() string { return formatInstructions(p.schema) }

// Parse extracts the JSON value from the answer and validates it, returning
// a map[string]any (or []any for an array schema) with unknown keys
// dropped.
func (p *schemaParser) Parse(text string) (any, error) { return parseWith(p.schema, text) }

// AutoFix reports the node's autofixParser input.
func (p *schemaParser) AutoFix() bool { return p.autofix }

var _ llm.OutputParser = (*schemaParser)(nil)
