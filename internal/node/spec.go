package node

// Spec is the static description of a node type: the JSON mirror of
// Flowise's INode (packages/components/src/Interface.ts) as GET
// /api/v1/nodes returns it. JSON field names are Flowise's; optional fields
// are omitted when zero, as Flowise omits undefined class fields.
//
// Specs are written as keyed struct literals that map line for line from the
// TypeScript node classes.
type Spec struct {
	// Label is the display name, e.g. "ChatOpenAI". Required.
	Label string `json:"label"`
	// Name is the component key saved in flowData as data.name, e.g.
	// "chatOpenAI". Required and unique within a [Registry].
	Name string `json:"name"`
	// Version is the component version; Flowise compares it with the
	// version saved in a flow to flag outdated nodes.
	Version float64 `json:"version"`
	// Type is the class name, e.g. "ChatOpenAI". Required.
	Type string `json:"type"`
	// Icon is the icon file name, e.g. "openai.svg".
	Icon string `json:"icon,omitempty"`
	// Category groups nodes in the UI, e.g. "Chat Models". Required.
	Category string `json:"category"`
	// Description is the one-line summary shown in the node list.
	Description string `json:"description,omitempty"`
	// BaseClasses are the type names this node's output satisfies; input
	// anchors accept a connection when their type is among them.
	BaseClasses []string `json:"baseClasses"`
	// Tags are UI badges such as "LangChain" or "Utilities".
	Tags []string `json:"tags,omitempty"`
	// Badge marks the node as e.g. "NEW" or "DEPRECATING".
	Badge string `json:"badge,omitempty"`
	// DeprecateMessage explains a deprecation (Flowise's deprecateMessage).
	DeprecateMessage string `json:"deprecateMessage,omitempty"`
	// Author credits a contributed node.
	Author string `json:"author,omitempty"`
	// Documentation links to the node's documentation page.
	Documentation string `json:"documentation,omitempty"`
	// Color is the node colour in Agentflow V2.
	Color string `json:"color,omitempty"`
	// Hint and Warning are shown on the node in the UI.
	Hint    string `json:"hint,omitempty"`
	Warning string `json:"warning,omitempty"`
	// HideOutput and HideInput hide the node's handles (Agentflow V2).
	HideOutput bool `json:"hideOutput,omitempty"`
	HideInput  bool `json:"hideInput,omitempty"`
	// Credential, when set, is the credential picker: a [Param] of type
	// [TypeCredential] listing the accepted credential types in
	// CredentialNames.
	Credential *Param `json:"credential,omitempty"`
	// Inputs are the node's value fields and input anchors, in display
	// order.
	Inputs []Param `json:"inputs,omitempty"`
	// Outputs lists the selectable outputs of a node with more than one
	// (e.g. a vector store's "retriever" and "vectorStore"). Nil means one
	// output whose type is BaseClasses.
	Outputs []Output `json:"outputs,omitempty"`
}

// Param describes one input of a node or credential type: Flowise's
// INodeParams. Type is either a value type from the Flowise vocabulary
// (TypeString, TypeNumber, ...) or, for an input anchor, a class name such as
// "BaseChatModel" that upstream nodes must list in their BaseClasses.
type Param struct {
	// Label is the display name. It may be empty (the sticky note's field
	// has none).
	Label string `json:"label"`
	// Name is the key in flowData's data.inputs. Required.
	Name string `json:"name"`
	// Type is the param type; see [IsAnchorType] and the Type constants.
	Type string `json:"type"`
	// Default is the initial value the UI writes into data.inputs. Its Go
	// type must fit Type: string for text types, a number (or numeric
	// string) for number, bool for boolean, and so on. The engine never
	// applies defaults: node code handles absent inputs itself, as in
	// Flowise.
	Default any `json:"default,omitempty"`
	// Description is help text shown beside the field.
	Description string `json:"description,omitempty"`
	// Warning is a caution shown beside the field.
	Warning string `json:"warning,omitempty"`
	// Options are the choices of an options or multiOptions param.
	Options []Option `json:"options,omitempty"`
	// Datagrid describes the columns of a datagrid param.
	Datagrid []map[string]any `json:"datagrid,omitempty"`
	// CredentialNames lists the credential types a credential param
	// accepts, e.g. ["openAIApi"].
	CredentialNames []string `json:"credentialNames,omitempty"`
	// Optional marks the input as not required.
	Optional bool `json:"optional,omitempty"`
	// Step is the increment of a number field.
	Step float64 `json:"step,omitempty"`
	// Rows is the height of a multi-line text field.
	Rows int `json:"rows,omitempty"`
	// List lets an anchor accept several connections (e.g. tools).
	List bool `json:"list,omitempty"`
	// AcceptVariable enables {{...}} substitution in the value.
	AcceptVariable bool `json:"acceptVariable,omitempty"`
	// AcceptNodeOutputAsVariable lets Agentflow V2 insert other nodes'
	// outputs as variables.
	AcceptNodeOutputAsVariable bool `json:"acceptNodeOutputAsVariable,omitempty"`
	// Placeholder is the hint text of an empty field.
	Placeholder string `json:"placeholder,omitempty"`
	// FileType lists accepted extensions of a file param, e.g. ".txt".
	FileType string `json:"fileType,omitempty"`
	// AdditionalParams puts the field under "Additional Parameters".
	AdditionalParams bool `json:"additionalParams,omitempty"`
	// LoadMethod names the [Definition.Load] function that fills an
	// asyncOptions or asyncMultiOptions dropdown.
	LoadMethod string `json:"loadMethod,omitempty"`
	// LoadConfig makes an asyncOptions param a component picker whose
	// chosen component's inputs are saved in "<name>Config" (Agentflow V2).
	LoadConfig bool `json:"loadConfig,omitempty"`
	// LoadPreviousNodes fills the dropdown with the flow's earlier nodes.
	LoadPreviousNodes bool `json:"loadPreviousNodes,omitempty"`
	// Refresh shows a reload button beside an async dropdown.
	Refresh bool `json:"refresh,omitempty"`
	// FreeSolo lets the user type a value not among the options.
	FreeSolo bool `json:"freeSolo,omitempty"`
	// Hidden hides the field in the UI.
	Hidden bool `json:"hidden,omitempty"`
	// HideCodeExecute hides the "execute" button of a code field.
	HideCodeExecute bool `json:"hideCodeExecute,omitempty"`
	// CodeExample is sample code offered by a code field.
	CodeExample string `json:"codeExample,omitempty"`
	// Hint is help shown in a dialog, keyed by label and value.
	Hint map[string]string `json:"hint,omitempty"`
	// TabIdentifier and Tabs describe a tabs param: the selected tab is saved
	// as inputs["<TabIdentifier>_<nodeId>"].
	TabIdentifier string  `json:"tabIdentifier,omitempty"`
	Tabs          []Param `json:"tabs,omitempty"`
	// Array lists the fields of each item of an array param.
	Array []Param `json:"array,omitempty"`
	// MinItems and MaxItems bound the length of an array param.
	MinItems int `json:"minItems,omitempty"`
	MaxItems int `json:"maxItems,omitempty"`
	// Show and Hide make the field visible only when (or unless) other
	// inputs hold the given values, e.g. {"llmEnableMemory": true}.
	Show map[string]any `json:"show,omitempty"`
	Hide map[string]any `json:"hide,omitempty"`
	// GenerateDocStoreDescription and GenerateInstruction add AI helper
	// buttons to the field (Agentflow V2).
	GenerateDocStoreDescription bool `json:"generateDocStoreDescription,omitempty"`
	GenerateInstruction         bool `json:"generateInstruction,omitempty"`
}

// Option is one choice of an options-like [Param] or one result of a
// [LoadFunc]: Flowise's INodeOptionsValue.
type Option struct {
	// Label is the display text.
	Label string `json:"label"`
	// Name is the value saved in data.inputs.
	Name string `json:"name"`
	// Description is help text shown under the label.
	Description string `json:"description,omitempty"`
	// ImageSrc is an icon URL shown beside the label.
	ImageSrc string `json:"imageSrc,omitempty"`
	// Show and Hide restrict when the option is offered, as on [Param].
	Show map[string]any `json:"show,omitempty"`
	Hide map[string]any `json:"hide,omitempty"`
}

// Output is one selectable output of a node: Flowise's INodeOutputsValue.
// The chosen output's Name is saved in flowData as data.outputs.output.
type Output struct {
	// Label is the display text.
	Label string `json:"label"`
	// Name identifies the output, e.g. "retriever".
	Name string `json:"name"`
	// BaseClasses are the type names this output satisfies.
	BaseClasses []string `json:"baseClasses,omitempty"`
	// Description is help text.
	Description string `json:"description,omitempty"`
	// Hidden hides the output in the UI.
	Hidden bool `json:"hidden,omitempty"`
	// IsAnchor makes the output a connectable handle (Agentflow V2).
	IsAnchor bool `json:"isAnchor,omitempty"`
}
