package server

import (
	"bytes"
	"encoding/json"
	"errors"

	"io"
	"net/http"
	"regexp"
)

// body is a decoded JSON object whose fields are read one by one, so that a
// field of the wrong type gives a 400 naming it and an absent field can be
// told from a null one.
type body map[string]json.RawMessage

// readBody decodes a JSON object request body. Malformed JSON, a
// non-object, or trailing data is a 400; an oversized body a 413.
func readBody(r *http.Request) (body, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, mbe
		}
		return nil, errorf(http.StatusBadRequest, "reading request body: %v", err)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errorf(http.StatusBadRequest, "request body is empty: a JSON object is required")
	}
	if data[0] != '{' {
		return nil, errorf(http.StatusBadRequest, "request body must be a JSON object")
	}
	var b body
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		return nil, errorf(http.StatusBadRequest, "malformed JSON body: %v", err)
	}
	if dec.More() {
		return nil, errorf(http.StatusBadRequest, "malformed JSON body: unexpected data after the object")
	}
	return b, nil
}

// has reports whether the field is present (even as null).
func (b body) has(name string) bool {
	_, ok := b[name]
	return ok
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// str reads a string field into dst when present; null leaves dst as is.
func (b body) str(name string, dst *string) error {
	raw, ok := b[name]
	if !ok || isNull(raw) {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return errorf(http.StatusBadRequest, "field %q must be a string", name)
	}
	return nil
}

// optStr reads a nullable string field: null clears it.
func (b body) optStr(name string, dst **string) error {
	raw, ok := b[name]
	if !ok {
		return nil
	}
	if isNull(raw) {
		*dst = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return errorf(http.StatusBadRequest, "field %q must be a string", name)
	}
	*dst = &s
	return nil
}

// optBool reads a nullable boolean field.
func (b body) optBool(name string, dst **bool) error {
	raw, ok := b[name]
	if !ok {
		return nil
	}
	if isNull(raw) {
		*dst = nil
		return nil
	}
	var v bool
	if err := json.Unmarshal(raw, &v); err != nil {
		return errorf(http.StatusBadRequest, "field %q must be a boolean", name)
	}
	*dst = &v
	return nil
}

// jsonText reads a field holding JSON as text, the way Flowise stores it.
// Flowise clients send a JSON string ("{\"a\":1}"); an object or array is
// accepted too and kept as its compact text. A string must itself hold
// valid JSON when mustJSON is set.
func (b body) jsonText(name string, dst **string, mustJSON bool) error {
	raw, ok := b[name]
	if !ok {
		return nil
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		*dst = nil
		return nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return errorf(http.StatusBadRequest, "field %q must be a JSON string", name)
		}
		if mustJSON && s != "" && !json.Valid([]byte(s)) {
			return errorf(http.StatusBadRequest, "field %q must hold valid JSON", name)
		}
		*dst = &s
	case raw[0] == '{' || raw[0] == '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return errorf(http.StatusBadRequest, "field %q: %v", name, err)
		}
		s := buf.String()
		*dst = &s
	default:
		return errorf(http.StatusBadRequest, "field %q must be a JSON object, array or string", name)
	}
	return nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// pathID reads the {id} path value and checks it is a UUID before it goes
// anywhere near the database. what names the entity in the error, in
// Flowise's wording ("Chatflow" gives "Invalid Chatflow ID").
func pathID(r *http.Request, what string) (string, error) {
	id := r.PathValue("id")
	if !uuidRE.MatchString(id) {
		return "", errorf(http.StatusBadRequest, "Invalid %s ID", what)
	}
	return id, nil
}

// notFound is the 404 for an unknown id.
func notFound(what, id string) error {
	return errorf(http.StatusNotFound, "%s %s not found", what, id)
}

// deleteResult is TypeORM's DeleteResult, which Flowise returns from deletes.
type deleteResult struct {
	Raw      []any `json:"raw"`
	Affected int   `json:"affected"`
}

func deleted() deleteResult { return deleteResult{Raw: []any{}, Affected: 1} }

func requiredString(b body, name string) (string, error) {
	var s string
	if err := b.str(name, &s); err != nil {
		return "", err
	}
	if s == "" {
		return "", errorf(http.StatusBadRequest, "field %q is required", name)
	}
	return s, nil
}
