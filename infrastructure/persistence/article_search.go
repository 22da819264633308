package persistence

import (
	"strings"
	"time"
	"unicode"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// searchCandidates is how many matches a relevance-ordered search ranks.
const searchCandidates = 200

// search adds the full-text condition on q to l and, when the list is in relevance order, orders by
// rank (best first, then the id). It reports false when q has nothing this engine can search for.
//
// Ranking is bounded: only the searchCandidates newest matches are ranked (on PostgreSQL the newest
// by publication on the public list, whose time public is, and by id, which is time-ordered, for
// admins; on SQLite the last inserted), each an order an index yields cheaply. A common word so costs
// a bounded walk instead of ranking every matching article (8 s at 100,000 articles on PostgreSQL);
// a page-mode total in relevance order counts those candidates, so every counted page can be read.
// A list in any other order filters by the match and walks its own index, as before.
//
// PostgreSQL matches the generated search vector with websearch_to_tsquery, which accepts any text;
// ts_rank weighs title over excerpt over body. SQLite matches the FTS5 index with the query
// ftsQuery builds, and bm25 weighs the columns the same way (lower is better).
func (r *ArticleReadModel) search(l *articleList, q string, byRelevance bool, public *time.Time) bool {
	if r.db.Dialect == config.DialectPostgres {
		// In relevance order the candidate subquery holds the match: a second test here would read
		// every candidate's search vector once more.
		if !byRelevance {
			l.and("a.search @@ websearch_to_tsquery('simple', ?)", q)
		}
		if byRelevance && public != nil {
			l.and(`a.id IN (SELECT c.id FROM articles c
				WHERE c.search @@ websearch_to_tsquery('simple', ?)
					AND c.status = 'published' AND c.trashed_at IS NULL AND c.published_at <= ?
				ORDER BY c.published_at DESC, c.id DESC LIMIT ?)`, q, public.UTC(), searchCandidates)
		} else if byRelevance {
			l.and(`a.id IN (SELECT c.id FROM articles c WHERE c.search @@ websearch_to_tsquery('simple', ?)
				ORDER BY c.id DESC LIMIT ?)`, q, searchCandidates)
		}
		if byRelevance {
			l.order = "ts_rank(a.search, websearch_to_tsquery('simple', ?)) DESC, a.id DESC"
			l.orderArgs = []any{q}
		}
		return true
	}
	match := ftsQuery(q)
	if match == "" {
		return false
	}
	l.from += " JOIN articles_fts ON articles_fts.rowid = a.seq"
	l.and("articles_fts MATCH ?", match)
	if byRelevance {
		// FTS5 reads a term's matches in rowid order and honours a rowid bound in the index itself.
		l.and(`articles_fts.rowid >= (SELECT coalesce(min(rowid), 0) FROM (SELECT rowid FROM articles_fts
			WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?))`, match, searchCandidates)
		l.order = "bm25(articles_fts, 10.0, 5.0, 1.0), a.id DESC"
	}
	return true
}

// ftsQuery turns search text into an FTS5 query meaning what websearch_to_tsquery makes of it on
// PostgreSQL: every word must appear, "quoted words" must appear in a row, -word must not appear,
// and "or" separates alternatives. Words are runs of letters, digits and marks, each emitted inside
// double quotes, so FTS5 sees only strings, parentheses, NOT and OR: no input can be a syntax
// error. It returns "" when nothing is left to search for (a negation alone cannot be said in FTS5).
func ftsQuery(q string) string {
	var (
		clauses  []string
		pos, neg []string
		negate   bool
	)
	flush := func() {
		if len(pos) > 0 {
			clause := strings.Join(pos, " ")
			for _, n := range neg {
				clause += " NOT " + n
			}
			clauses = append(clauses, "("+clause+")")
		}
		pos, neg = nil, nil
	}
	add := func(term string) {
		if negate {
			neg = append(neg, term)
		} else {
			pos = append(pos, term)
		}
		negate = false
	}
	runes := []rune(q)
	for i := 0; i < len(runes); {
		r := runes[i]
		switch {
		case r == '"':
			end := i + 1
			for end < len(runes) && runes[end] != '"' {
				end++
			}
			if words := ftsWords(runes[i+1 : end]); len(words) > 0 {
				add(`"` + strings.Join(words, " ") + `"`)
			}
			negate, i = false, end+1
		case r == '-' && (i == 0 || !isWordRune(runes[i-1])):
			negate, i = true, i+1
		case isWordRune(r):
			end := i
			for end < len(runes) && isWordRune(runes[end]) {
				end++
			}
			word := string(runes[i:end])
			switch {
			case strings.EqualFold(word, "or") && !negate:
				flush()
			case hasLetterOrDigit(word):
				add(`"` + word + `"`)
			}
			negate, i = false, end
		default:
			negate, i = false, i+1
		}
	}
	flush()
	return strings.Join(clauses, " OR ")
}

// ftsWords splits text into words (runs of letters, digits and marks that hold a letter or digit).
func ftsWords(text []rune) []string {
	var words []string
	for _, w := range strings.FieldsFunc(string(text), func(r rune) bool { return !isWordRune(r) }) {
		if hasLetterOrDigit(w) {
			words = append(words, w)
		}
	}
	return words
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func hasLetterOrDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}
