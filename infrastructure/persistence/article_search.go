package persistence

import (
	"fmt"
	"strings"
	"unicode"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// searchCandidates is how many title and excerpt matches a relevance-ordered search ranks, and so
// how deep its pages reach.
const searchCandidates = 50

// Relevance tiers: a match in the title outranks one in the excerpt, which outranks one only in the
// body. Within the title tier the shorter title comes first (an exact title match is the shortest
// title that holds every word), then the newest article.
const (
	tierTitle   = 2
	tierExcerpt = 1
	tierBody    = 0
)

// search adds the full-text condition on q to l, which holds every other condition of the list. It
// reports false when q has nothing this engine can search for. need is how many rows in relevance
// order the caller can reach: the first page plus one, or searchCandidates for a page-mode list or
// a count.
//
// A list in an explicit sort filters by the match and walks its own index. A list in relevance order
// is bounded: it ranks only the searchCandidates newest articles whose title or excerpt match (the
// head; PostgreSQL keeps a small weighted vector of those two, search_head, beside the whole one,
// and SQLite's FTS5 restricts a match to columns), each read in an index's order and stopping at the
// bound, then fills up to need with the newest articles that match only in the body. A common word
// so costs a walk of a few hundred small head vectors instead of ranking every match (8 s at 100,000
// articles on PostgreSQL before bounding, 13 ms with 200 ranked whole vectors after), and the body
// vectors are read only for the rows a page shows.
//
// PostgreSQL matches with websearch_to_tsquery, which accepts any text. SQLite matches the query
// ftsQuery builds, which means the same. Either way only a query with a negated word (-word) tests
// the head candidates against the whole text too: without one, a head match is a match.
func (r *ArticleReadModel) search(l *articleList, q string, byRelevance, public bool, need int) bool {
	postgres := r.db.Dialect == config.DialectPostgres
	var match ftsMatch
	tsq := ""
	if postgres {
		if !queryableText(q, articleapp.MaxSearchBytes) {
			return false
		}
		tsq = pgTSQuery(q)
	} else {
		if match = parseFTS(q); match.empty() {
			return false
		}
	}
	if !byRelevance {
		if postgres {
			l.and("a.search @@ " + tsq)
		} else {
			l.from += " JOIN articles_fts ON articles_fts.rowid = a.seq"
			l.and("articles_fts MATCH ?", match.in(""))
		}
		return true
	}
	conds, condArgs := "", l.args
	if len(l.where) > 0 {
		conds = strings.Join(l.where, " AND ") + " AND "
	}
	newest := "a.id DESC"
	if public {
		newest = "a.published_at DESC, a.id DESC"
	}
	// The walks read every column a summary needs, so the page is cut from the candidates without
	// reading their rows again.
	var inner string
	var args []any
	if postgres {
		negated := ""
		if strings.Contains(q, "-") {
			negated = " AND a.search @@ " + tsq
		}
		inner = fmt.Sprintf(`WITH h AS MATERIALIZED (SELECT %[7]s,
				CASE WHEN ts_filter(a.search_head, '{a}') @@ %[8]s THEN %[4]d ELSE %[5]d END AS tier
				FROM articles a WHERE %[1]sa.search_head @@ %[8]s%[2]s ORDER BY %[3]s LIMIT ?)
			SELECT * FROM h UNION ALL
			(SELECT %[7]s, %[6]d FROM articles a WHERE %[1]sa.search @@ %[8]s AND a.id NOT IN (SELECT id FROM h)
				ORDER BY %[3]s LIMIT greatest(? - (SELECT count(*) FROM h), 0))`,
			conds, negated, newest, tierTitle, tierExcerpt, tierBody, summaryColumns, tsq)
		args = append(append(append(append([]any{}, condArgs...), searchCandidates), condArgs...), need)
	} else {
		// FTS5 yields a match's rows in rowid (insertion) order and stops at the LIMIT; CROSS JOIN keeps
		// it the outer loop, so each row's other conditions are checked by a primary-key lookup.
		walk := `SELECT ` + summaryColumns + `, articles_fts.rowid AS seq FROM articles_fts CROSS JOIN articles a
			ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ? AND ` + conds
		inner = fmt.Sprintf(`WITH h AS MATERIALIZED (%[1]s1 = 1 ORDER BY articles_fts.rowid DESC LIMIT ?),
			t AS (SELECT rowid AS seq FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= (SELECT min(seq) FROM h))
			SELECT h.*, CASE WHEN seq IN (SELECT seq FROM t) THEN %[2]d ELSE %[3]d END AS tier FROM h UNION ALL
			SELECT *, %[4]d FROM (%[1]sarticles_fts.rowid NOT IN (SELECT seq FROM h)
				ORDER BY articles_fts.rowid DESC LIMIT max(? - (SELECT count(*) FROM h), 0))`,
			walk, tierTitle, tierExcerpt, tierBody)
		args = append(append([]any{match.in("{title excerpt}")}, condArgs...), searchCandidates, match.in("{title}"))
		args = append(append(append(args, match.in("")), condArgs...), need)
	}
	l.from = "(" + inner + ") a"
	l.fromArgs = args
	l.where, l.args = nil, nil
	l.order = fmt.Sprintf("a.tier DESC, CASE WHEN a.tier = %d THEN length(a.title) END, %s", tierTitle, newest)
	return true
}

// pgTSQuery is the tsquery of q as a literal, not a parameter: the planner then sees the query and
// its words' frequencies when it chooses between walking the date index (a common word) and the
// GIN index (a rare one). With a parameter, pgx's cached prepared statement switched to a generic
// plan after five runs, which assumes every word is rare: a bitmap over nearly every row for "the"
// (11.5 s at 300,000 articles instead of milliseconds). q is valid UTF-8 without NUL (checked);
// an E-string literal escapes the backslash and the quote whatever standard_conforming_strings says,
// and spells ? as \x3f, which GORM would otherwise take for a placeholder.
func pgTSQuery(q string) string {
	return "websearch_to_tsquery('simple', E'" + strings.NewReplacer(`\`, `\\`, `'`, `''`, `?`, `\x3f`).Replace(q) + "')"
}

// ftsMatch is search text parsed as websearch_to_tsquery parses it on PostgreSQL: alternatives
// separated by "or", each a list of words or "quoted phrases" that must appear and of -words that
// must not. Every word is kept inside double quotes, so FTS5 sees only strings, parentheses, NOT and
// OR: no input can be a syntax error.
type ftsMatch []ftsClause

type ftsClause struct{ pos, neg []string }

// empty reports that nothing is left to search for (a negation alone cannot be said in FTS5).
func (m ftsMatch) empty() bool { return len(m) == 0 }

// in renders the FTS5 query with the wanted words restricted to the column filter cols ("" for every
// column, or such as "{title}"); the unwanted words must not appear in any column.
func (m ftsMatch) in(cols string) string {
	clauses := make([]string, 0, len(m))
	for _, c := range m {
		clause := strings.Join(c.pos, " ")
		if cols != "" {
			clause = cols + " : (" + clause + ")"
		}
		for _, n := range c.neg {
			clause += " NOT " + n
		}
		clauses = append(clauses, "("+clause+")")
	}
	return strings.Join(clauses, " OR ")
}

// ftsQuery turns search text into an FTS5 query over every column; "" when nothing is left to
// search for.
func ftsQuery(q string) string { return parseFTS(q).in("") }

// parseFTS parses search text: every word must appear, "quoted words" must appear in a row, -word
// must not appear, and "or" separates alternatives. Words are runs of letters, digits and marks.
func parseFTS(q string) ftsMatch {
	var (
		m        ftsMatch
		pos, neg []string
		negate   bool
	)
	flush := func() {
		if len(pos) > 0 {
			m = append(m, ftsClause{pos: pos, neg: neg})
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
	return m
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
