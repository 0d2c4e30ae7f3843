package node

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testData builds Data the way tests of nodes do: from a JSON snippet.
func testData(t *testing.T, inputs string) *Data {
	t.Helper()
	var d Data
	if err := json.Unmarshal([]byte(`{"id":"n_0","name":"n","inputs":`+inputs+`}`), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	return &d
}

const getterInputs = `{
	"str": "hello", "blank": "  ", "empty": "", "null": null,
	"num": 0.9, "numStr": "0.9", "spaced": " 7 ", "whole": 4, "wholeStr": "4", "wholeFloatStr": "4.0",
	"frac": 4.5, "fracStr": "4.5", "abc": "abc", "nan": "NaN", "big": 1e300,
	"yes": true, "no": false, "yesStr": "true", "noStr": "FALSE", "maybe": "maybe",
	"obj": {"a": 1}, "arr": ["a", "b"], "mixed": ["a", 1],
	"jsonStr": "{\"a\": 1}", "badJSON": "{a:", "listStr": "[\"x\",\"y\"]", "badList": "[1,",
	"zero": 0
}`

func TestDataString(t *testing.T) {
	d := testData(t, getterInputs)
	tests := []struct {
		name, input string
		want        string
		wantErr     string
	}{
		{name: "string", input: "str", want: "hello"},
		{name: "missing uses fallback", input: "nope", want: "fb"},
		{name: "empty is absent", input: "empty", want: "fb"},
		{name: "blank is absent", input: "blank", want: "fb"},
		{name: "null is absent", input: "null", want: "fb"},
		{name: "number formatted", input: "num", want: "0.9"},
		{name: "zero is present", input: "zero", want: "0"},
		{name: "bool formatted", input: "yes", want: "true"},
		{name: "object rejected", input: "obj", wantErr: `input "obj": got object, want string`},
		{name: "array rejected", input: "arr", wantErr: `input "arr": got array, want string`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.String(tc.input, "fb")
			checkGet(t, got, err, tc.want, tc.wantErr)
		})
	}
}

func TestDataFloat(t *testing.T) {
	d := testData(t, getterInputs)
	tests := []struct {
		name, input string
		want        float64
		wantErr     string
	}{
		{name: "number", input: "num", want: 0.9},
		{name: "numeric string", input: "numStr", want: 0.9},
		{name: "spaces trimmed", input: "spaced", want: 7},
		{name: "integer", input: "whole", want: 4},
		{name: "zero is present", input: "zero", want: 0},
		{name: "missing uses fallback", input: "nope", want: 0.5},
		{name: "empty is absent", input: "empty", want: 0.5},
		{name: "not a number", input: "abc", wantErr: `input "abc": parsing "abc" as number`},
		{name: "NaN rejected", input: "nan", wantErr: `input "nan": parsing "NaN" as number`},
		{name: "bool rejected", input: "yes", wantErr: `input "yes": got boolean, want number`},
		{name: "object rejected", input: "obj", wantErr: `input "obj": got object, want number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Float(tc.input, 0.5)
			checkGet(t, got, err, tc.want, tc.wantErr)
		})
	}
}

func TestDataInt(t *testing.T) {
	d := testData(t, getterInputs)
	tests := []struct {
		name, input string
		want        int
		wantErr     string
	}{
		{name: "number", input: "whole", want: 4},
		{name: "numeric string", input: "wholeStr", want: 4},
		{name: "whole float string", input: "wholeFloatStr", want: 4},
		{name: "spaces trimmed", input: "spaced", want: 7},
		{name: "zero is present", input: "zero", want: 0},
		{name: "missing uses fallback", input: "nope", want: 3},
		{name: "blank is absent", input: "blank", want: 3},
		{name: "fraction rejected", input: "frac", wantErr: `input "frac": parsing 4.5 as integer`},
		{name: "fraction string rejected", input: "fracStr", wantErr: `input "fracStr": parsing "4.5" as integer`},
		{name: "not a number", input: "abc", wantErr: `input "abc": parsing "abc" as integer`},
		{name: "out of range", input: "big", wantErr: `input "big": integer 1e+300 out of range`},
		{name: "array rejected", input: "arr", wantErr: `input "arr": got array, want integer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Int(tc.input, 3)
			checkGet(t, got, err, tc.want, tc.wantErr)
		})
	}
}

func TestDataBool(t *testing.T) {
	d := testData(t, getterInputs)
	tests := []struct {
		name, input string
		fallback    bool
		want        bool
		wantErr     string
	}{
		{name: "true", input: "yes", want: true},
		{name: "false overrides fallback", input: "no", fallback: true, want: false},
		{name: "string true", input: "yesStr", want: true},
		{name: "string FALSE", input: "noStr", fallback: true, want: false},
		{name: "missing uses fallback", input: "nope", fallback: true, want: true},
		{name: "empty is absent", input: "empty", fallback: true, want: true},
		{name: "not a boolean", input: "maybe", wantErr: `input "maybe": parsing "maybe" as boolean`},
		{name: "number rejected", input: "whole", wantErr: `input "whole": got number, want boolean`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Bool(tc.input, tc.fallback)
			checkGet(t, got, err, tc.want, tc.wantErr)
		})
	}
}

func TestDataStringSlice(t *testing.T) {
	d := testData(t, getterInputs)
	tests := []struct {
		name, input string
		want        []string
		wantErr     string
	}{
		{name: "array", input: "arr", want: []string{"a", "b"}},
		{name: "JSON array string", input: "listStr", want: []string{"x", "y"}},
		{name: "plain string is one item", input: "str", want: []string{"hello"}},
		{name: "missing is nil", input: "nope"},
		{name: "empty is nil", input: "empty"},
		{name: "non-string item", input: "mixed", wantErr: `input "mixed": item 1: got number, want string`},
		{name: "bad JSON array", input: "badList", wantErr: `input "badList": parsing "[1," as a list of strings`},
		{name: "object rejected", input: "obj", wantErr: `input "obj": got object, want list of strings`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.StringSlice(tc.input)
			checkGet(t, got, err, tc.want, tc.wantErr)
		})
	}
}

func TestDataJSON(t *testing.T) {
	d := testData(t, getterInputs)
	type obj struct{ A int }
	tests := []struct {
		name, input string
		want        obj
		wantErr     string
	}{
		{name: "JSON string", input: "jsonStr", want: obj{A: 1}},
		{name: "decoded object", input: "obj", want: obj{A: 1}},
		{name: "missing leaves dst", input: "nope", want: obj{A: 9}},
		{name: "bad JSON", input: "badJSON", wantErr: `input "badJSON": parsing as JSON: invalid character 'a' looking for beginning of object key string`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := obj{A: 9}
			err := d.JSON(tc.input, &got)
			checkGet(t, got, err, tc.want, tc.wantErr)
		})
	}
}

func TestDataHas(t *testing.T) {
	d := testData(t, getterInputs)
	for input, want := range map[string]bool{"str": true, "zero": true, "no": true, "empty": false, "blank": false, "null": false, "nope": false} {
		if got := d.Has(input); got != want {
			t.Errorf("Has(%q) = %v, want %v", input, got, want)
		}
	}
	var nilData *Data
	if nilData.Has("x") {
		t.Errorf("nil Data Has = true, want false")
	}
}

func TestDataGoValues(t *testing.T) {
	// Data built in Go (not from JSON) may hold Go ints and json.Number.
	d := &Data{Inputs: map[string]any{"i": 3, "n": json.Number("12"), "u": uint8(2)}}
	if got, err := d.Int("i", 0); err != nil || got != 3 {
		t.Errorf("Int(i) = %v, %v; want 3, nil", got, err)
	}
	if got, err := d.String("n", ""); err != nil || got != "12" {
		t.Errorf("String(n) = %q, %v; want 12, nil", got, err)
	}
	if got, err := d.Float("u", 0); err != nil || got != 2 {
		t.Errorf("Float(u) = %v, %v; want 2, nil", got, err)
	}
}

func checkGet[T any](t *testing.T, got T, err error, want T, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil {
			t.Fatalf("got %v, nil error; want error %q", got, wantErr)
		}
		if err.Error() != wantErr {
			t.Errorf("error = %q, want %q", err, wantErr)
		}
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("errors.Is(%v, ErrInvalidInput) = false, want true", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("value mismatch (-want +got):\n%s", diff)
	}
}
