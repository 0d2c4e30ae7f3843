package node

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Param types of the Flowise vocabulary (packages/components/src/Interface.ts
// NodeParamsType and the UI's whitelist in genericHelper.js initNode). Any
// other type must be an anchor type; see [IsAnchorType].
const (
	TypeAsyncOptions      = "asyncOptions"
	TypeAsyncMultiOptions = "asyncMultiOptions"
	TypeOptions           = "options"
	TypeMultiOptions      = "multiOptions"
	TypeDatagrid          = "datagrid"
	TypeString            = "string"
	TypeNumber            = "number"
	TypeBoolean           = "boolean"
	TypePassword          = "password"
	TypeJSON              = "json"
	TypeCode              = "code"
	TypeDate              = "date"
	TypeFile              = "file"
	TypeFolder            = "folder"
	TypeTabs              = "tabs"
	TypeArray             = "array"
	TypeCredential        = "credential"
	// TypeConditionFunction is the sequential-agents condition editor.
	TypeConditionFunction = "conditionFunction"
	// The schedule pickers of the Agentflow V2 Start node.
	TypeTimePicker      = "timePicker"
	TypeWeekDaysPicker  = "weekDaysPicker"
	TypeMonthDaysPicker = "monthDaysPicker"
	TypeDatePicker      = "datePicker"
)

// valueKinds maps each value param type to the kind of default it accepts.
var valueKinds = map[string]defaultKind{
	TypeAsyncOptions:      kindText,
	TypeAsyncMultiOptions: kindTextList,
	TypeOptions:           kindText,
	TypeMultiOptions:      kindTextList,
	TypeDatagrid:          kindStructured,
	TypeString:            kindText,
	TypeNumber:            kindNumber,
	TypeBoolean:           kindBool,
	TypePassword:          kindText,
	TypeJSON:              kindStructured,
	TypeCode:              kindText,
	TypeDate:              kindText,
	TypeFile:              kindText,
	TypeFolder:            kindText,
	TypeTabs:              kindText,
	TypeArray:             kindStructured,
	TypeCredential:        kindText,
	TypeConditionFunction: kindText,
	TypeTimePicker:        kindText,
	TypeWeekDaysPicker:    kindTextList,
	TypeMonthDaysPicker:   kindTextList,
	TypeDatePicker:        kindText,
}

type defaultKind int

const (
	kindText       defaultKind = iota // a string
	kindTextList                      // a string (one value or a JSON list) or a list of strings
	kindNumber                        // a number, or a string holding one (Flowise writes '2000'), or ""
	kindBool                          // a bool
	kindStructured                    // a string holding JSON, a map or a slice
)

// IsValueType reports whether t is a value param type of the Flowise
// vocabulary, such as "string", "number" or "asyncOptions".
func IsValueType(t string) bool {
	_, ok := valueKinds[t]
	return ok
}

// IsAnchorType reports whether t is an input anchor type: one class name, or
// several joined by " | ", each starting with an ASCII uppercase letter and
// made of ASCII letters, digits and underscores (e.g. "BaseChatModel",
// "BaseChatModel_LlamaIndex", "Start | Agent | Condition").
func IsAnchorType(t string) bool {
	if t == "" {
		return false
	}
	for part := range strings.SplitSeq(t, "|") {
		part = strings.TrimSpace(part)
		if part == "" || part[0] < 'A' || part[0] > 'Z' {
			return false
		}
		for _, r := range part {
			if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}

// Validate reports whether p is well formed: it has a name, a known type
// (see [IsValueType] and [IsAnchorType]), a default that fits its type,
// options when it is an options or multiOptions param, credential names when
// it is a credential param, and valid array and tab sub-params.
func (p Param) Validate() error {
	if p.Name == "" {
		return fmt.Errorf("param %q: empty name", p.Label)
	}
	kind, isValue := valueKinds[p.Type]
	if !isValue && !IsAnchorType(p.Type) {
		return fmt.Errorf("param %q: unknown type %q", p.Name, p.Type)
	}
	if p.Default != nil {
		if !isValue {
			kind = kindText
		}
		if err := checkDefault(kind, p.Default); err != nil {
			return fmt.Errorf("param %q: default %#v does not match type %s: %w", p.Name, p.Default, p.Type, err)
		}
	}
	switch p.Type {
	case TypeOptions, TypeMultiOptions:
		if len(p.Options) == 0 {
			return fmt.Errorf("param %q: type %s needs options", p.Name, p.Type)
		}
	case TypeAsyncOptions, TypeAsyncMultiOptions:
		if p.LoadMethod == "" {
			return fmt.Errorf("param %q: type %s needs a loadMethod", p.Name, p.Type)
		}
	case TypeCredential:
		if len(p.CredentialNames) == 0 {
			return fmt.Errorf("param %q: credential param needs credentialNames", p.Name)
		}
	}
	for i, o := range p.Options {
		if o.Name == "" {
			return fmt.Errorf("param %q: option %d has no name", p.Name, i)
		}
	}
	for _, sub := range p.Array {
		if err := sub.Validate(); err != nil {
			return fmt.Errorf("param %q: array item: %w", p.Name, err)
		}
	}
	for _, sub := range p.Tabs {
		if err := sub.Validate(); err != nil {
			return fmt.Errorf("param %q: tab: %w", p.Name, err)
		}
	}
	return nil
}

// checkDefault reports whether v is an acceptable default of kind k.
func checkDefault(k defaultKind, v any) error {
	rv := reflect.ValueOf(v)
	switch k {
	case kindText:
		if rv.Kind() == reflect.String {
			return nil
		}
		return fmt.Errorf("want a string, got %T", v)
	case kindTextList:
		if rv.Kind() == reflect.String {
			return nil
		}
		if rv.Kind() == reflect.Slice {
			for i := range rv.Len() {
				if e := rv.Index(i); e.Kind() != reflect.String && (e.Kind() != reflect.Interface || e.Elem().Kind() != reflect.String) {
					return fmt.Errorf("want strings, got %T at index %d", e.Interface(), i)
				}
			}
			return nil
		}
		return fmt.Errorf("want a string or a list of strings, got %T", v)
	case kindNumber:
		if _, ok := asNumber(v); ok {
			return nil
		}
		if s, ok := v.(string); ok {
			if strings.TrimSpace(s) == "" {
				return nil
			}
			if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
				return nil
			}
			return fmt.Errorf("want a number, got string %q", s)
		}
		return fmt.Errorf("want a number, got %T", v)
	case kindBool:
		if rv.Kind() == reflect.Bool {
			return nil
		}
		return fmt.Errorf("want a bool, got %T", v)
	case kindStructured:
		switch rv.Kind() {
		case reflect.String, reflect.Map, reflect.Slice:
			return nil
		}
		return fmt.Errorf("want JSON text, a map or a slice, got %T", v)
	}
	return fmt.Errorf("unhandled kind %d", k)
}
