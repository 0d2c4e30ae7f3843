package documentloaders

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inCsvFile    = "csvFile"
	inColumnName = "columnName"
)

// csvFile mirrors Flowise's Csv File loader
// (nodes/documentloaders/Csv/Csv.ts and CsvLoader.ts): one document per row,
// either "column: value" lines for every column or the raw value of the
// chosen column.
var csvFile = node.Definition{
	Spec: node.Spec{
		Label:       "Csv File",
		Name:        "csvFile",
		Version:     3,
		Type:        "Document",
		Icon:        "csv.svg",
		Category:    category,
		Description: "Load data from CSV files",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "Csv File", Name: inCsvFile, Type: node.TypeFile, FileType: ".csv"},
			splitterParam,
			{
				Label:       "Single Column Extraction",
				Name:        inColumnName,
				Type:        node.TypeString,
				Description: "Make each row's document from this column only",
				Placeholder: "Enter column name",
				Optional:    true,
			},
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initCsvFile,
}

func initCsvFile(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	files, err := fileInput(data, rt, inCsvFile)
	if err != nil {
		return nil, err
	}
	column, err := data.String(inColumnName, "")
	if err != nil {
		return nil, err
	}
	column = strings.TrimSpace(column)
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.meta.loaderWins = true
	l.read = func(ctx context.Context) ([]llm.Document, error) {
		return files.each(ctx, func(name string, b []byte) ([]llm.Document, error) {
			return csvDocs(name, b, column)
		})
	}
	return finish(ctx, data, l)
}

// csvDocs parses a CSV file with a header row (delimiter guessed among
// comma, tab, pipe and semicolon, as Papa Parse does). Without column, each
// row becomes "header: value" lines; a row missing trailing fields shows
// them as "undefined", as Flowise does. With column, each row's raw value of
// that column.
func csvDocs(name string, b []byte, column string) ([]llm.Document, error) {
	if err := requireText(name, b); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(decodeText(b))
	records, err := readCSV(text, guessDelimiter(text))
	if err != nil {
		return nil, fmt.Errorf("parsing CSV %q: %w", name, err)
	}
	if len(records) == 0 {
		if column != "" {
			return nil, fmt.Errorf("parsing CSV %q: no header row to find column %q in", name, column)
		}
		return nil, nil
	}
	fields, rows := records[0], records[1:]
	contents := make([]string, 0, len(rows))
	if column != "" {
		idx := slices.Index(fields, column)
		if idx < 0 {
			return nil, fmt.Errorf("parsing CSV %q: column %q not found", name, column)
		}
		for i, row := range rows {
			if idx >= len(row) {
				return nil, fmt.Errorf("parsing CSV %q: row %d has no value for column %q", name, i+1, column)
			}
			contents = append(contents, row[idx])
		}
		return numbered(name, contents, nil), nil
	}
	for _, row := range rows {
		lines := make([]string, len(fields))
		for j, f := range fields {
			key := strings.TrimSpace(f)
			if key == "" {
				key = "_0"
			}
			val := "undefined"
			if j < len(row) {
				val = strings.TrimSpace(row[j])
			}
			lines[j] = key + ": " + val
		}
		contents = append(contents, strings.Join(lines, "\n"))
	}
	return numbered(name, contents, nil), nil
}

// readCSV reads every record. A bare quote inside an unquoted field is
// tolerated (spreadsheets write 5" screens); an unterminated quoted field is
// an error.
func readCSV(text string, delim rune) ([][]string, error) {
	read := func(lazy bool) ([][]string, error) {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = delim, -1, lazy
		return r.ReadAll()
	}
	records, err := read(false)
	if pe, ok := errors.AsType[*csv.ParseError](err); ok && errors.Is(pe.Err, csv.ErrBareQuote) {
		return read(true)
	}
	return records, err
}

// guessDelimiter picks the candidate splitting the first rows into the most
// consistent number (above one) of fields; comma when none does.
func guessDelimiter(text string) rune {
	best, bestDelta, bestAvg := ',', -1, 0.0
	for _, d := range []rune{',', '\t', '|', ';'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
		var counts []int
		for len(counts) < 10 {
			rec, err := r.Read()
			if err != nil { // io.EOF or a row this delimiter cannot read
				break
			}
			counts = append(counts, len(rec))
		}
		if len(counts) == 0 {
			continue
		}
		sum, delta := 0, 0
		for i, c := range counts {
			sum += c
			if i > 0 {
				delta += max(c-counts[i-1], counts[i-1]-c)
			}
		}
		avg := float64(sum) / float64(len(counts))
		if avg <= 1.99 {
			continue
		}
		if bestDelta < 0 || delta < bestDelta || (delta == bestDelta && avg > bestAvg) {
			best, bestDelta, bestAvg = d, delta, avg
		}
	}
	return best
}
