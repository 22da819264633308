package persistence

import (
	"database/sql"
	"testing"
)

func TestFTSQueryTranslatesWebSearchSyntax(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"gophers":                     `("gophers")`,
		"Gophers love  channels":      `("Gophers" "love" "channels")`,
		`"love channels" go`:          `("love channels" "go")`,
		`"unclosed phrase`:            `("unclosed phrase")`,
		"channels -gophers -rust":     `("channels" NOT "gophers" NOT "rust")`,
		`-"bad phrase" good`:          `("good" NOT "bad phrase")`,
		"a or b c":                    `("a") OR ("b" "c")`,
		"or a OR":                     `("a")`,
		"-or a":                       `("a" NOT "or")`,
		"well-known":                  `("well" "known")`,
		`title:x NEAR(a b) * ^c "" ;`: `("title" "x" "NEAR" "a" "b" "c")`,
		"e\u0301t\u00e9 日本":           "(\"e\u0301t\u00e9\" \"日本\")",
		"-gophers":                    "",
		"\" - ( ) * \u0301":           "",
		"":                            "",
	}
	for in, want := range tests {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %q, want %q", in, got, want)
		}
	}
	// A column filter restricts the wanted words; an unwanted word is unwanted in every column.
	if got, want := parseFTS(`"love channels" -rust or go`).in("{title}"), `({title} : ("love channels") NOT "rust") OR ({title} : ("go"))`; got != want {
		t.Errorf("in({title}) = %q, want %q", got, want)
	}
}

// FuzzFTSQueryIsValid checks that no search text turns into an FTS5 query SQLite refuses.
func FuzzFTSQueryIsValid(f *testing.F) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	f.Cleanup(func() { _ = db.Close() })
	if _, err := db.Exec(`CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0');
		INSERT INTO fts VALUES ('Gophers love channels', 'a body');`); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"gophers", `"a b" -c or d`, `NEAR(a b)`, `title:x*`, "\u0301", `"""`, "-"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		m := parseFTS(q)
		if m.empty() {
			return
		}
		// Every form the search sends: all columns, and the column filters of the relevance tiers.
		for _, cols := range []string{"", "{title}", "{title body}"} {
			var n int
			if err := db.QueryRow("SELECT count(*) FROM fts WHERE fts MATCH ?", m.in(cols)).Scan(&n); err != nil {
				t.Fatalf("parseFTS(%q).in(%q) = %q: %v", q, cols, m.in(cols), err)
			}
		}
	})
}
