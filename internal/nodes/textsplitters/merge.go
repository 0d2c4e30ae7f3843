package textsplitters

import "slices"

// sizes are the chunk size and overlap every LangChain TextSplitter has,
// in UTF-16 code units (or tokens for the token splitter).
type sizes struct {
	chunkSize    int
	chunkOverlap int
}

// splitOn cuts text at each occurrence of sep, dropping empty pieces
// (LangChain's TextSplitter.splitOnSeparator):
//   - an empty sep cuts between every two code units;
//   - with keep, sep stays at the start of the piece it begins; pieces are
//     cut before every occurrence, overlapping ones included, except at
//     position 0 (JavaScript's split on the regular expression (?=sep));
//   - otherwise sep is removed and occurrences do not overlap (split on the
//     string sep).
func splitOn(text, sep units, keep bool) []units {
	var out []units
	switch {
	case len(sep) == 0:
		for i := range text {
			out = append(out, text[i:i+1])
		}
		return out
	case keep:
		start := 0
		for q := 1; q < len(text); q++ {
			if hasPrefix(text[q:], sep) {
				out = append(out, text[start:q])
				start = q
			}
		}
		if start < len(text) {
			out = append(out, text[start:])
		}
		return out
	}
	start := 0
	for q := 0; q+len(sep) <= len(text); {
		if !hasPrefix(text[q:], sep) {
			q++
			continue
		}
		if q > start {
			out = append(out, text[start:q])
		}
		q += len(sep)
		start = q
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

func hasPrefix(u, prefix units) bool {
	return len(u) >= len(prefix) && slices.Equal(u[:len(prefix)], prefix)
}

// contains reports whether sub occurs in u.
func (u units) contains(sub units) bool { return u.index(sub, 0) >= 0 }

// merge joins splits with sep into chunks of at most chunkSize code units
// where possible, starting each new chunk with up to chunkOverlap units of
// the previous splits (LangChain's TextSplitter.mergeSplits, including its
// accounting: the separators of the current chunk count once per split).
// A single split longer than chunkSize becomes its own, longer chunk.
func (s sizes) merge(splits []units, sep units) []units {
	var docs, current []units
	total := 0
	for _, d := range splits {
		n := len(d)
		if total+n+len(current)*len(sep) > s.chunkSize && len(current) > 0 {
			if doc := join(current, sep); doc != nil {
				docs = append(docs, doc)
			}
			for total > s.chunkOverlap || total+n+len(current)*len(sep) > s.chunkSize && total > 0 {
				total -= len(current[0])
				current = current[1:]
			}
		}
		current = append(current, d)
		total += n
	}
	if doc := join(current, sep); doc != nil {
		docs = append(docs, doc)
	}
	return docs
}

// join concatenates parts with sep and trims the result as JavaScript
// does; it returns nil when nothing is left (LangChain's joinDocs).
func join(parts []units, sep units) units {
	var out units
	for i, p := range parts {
		if i > 0 {
			out = append(out, sep...)
		}
		out = append(out, p...)
	}
	out = out.trim()
	if len(out) == 0 {
		return nil
	}
	return out
}
