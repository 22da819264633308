package inkwell_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/inkwell-cms/inkwell/"

// layerRules says which imports each layer must not have: dependencies point inward
// (interfaces -> application -> domain) and infrastructure implements ports declared inside.
var layerRules = map[string][]string{
	"domain/": {
		"github.com/gin-gonic/", "gorm.io/", "go.uber.org/zap", "github.com/google/wire",
		module + "application", module + "infrastructure", module + "interfaces", module + "cmd",
	},
	"application/": {
		"github.com/gin-gonic/", "gorm.io/", "github.com/redis/",
		module + "infrastructure", module + "interfaces", module + "cmd",
	},
	"interfaces/": {
		"gorm.io/", "github.com/redis/", module + "infrastructure", module + "cmd",
	},
	"infrastructure/": {
		"github.com/gin-gonic/", module + "interfaces", module + "cmd",
	},
}

func TestLayersImportOnlyInward(t *testing.T) {
	t.Parallel()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		slashed := filepath.ToSlash(path)
		var forbidden []string
		for layer, rules := range layerRules {
			if strings.HasPrefix(slashed, layer) {
				forbidden = rules
			}
		}
		// Test-only helpers may reach real adapters (e.g. a test database); production code may not.
		if forbidden == nil || (strings.HasSuffix(slashed, "_test.go") && !strings.HasPrefix(slashed, "domain/")) {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if p == bad || strings.HasPrefix(p, bad) {
					t.Errorf("%s imports %s: %s must not depend on it", slashed, p, strings.TrimSuffix(strings.SplitN(slashed, "/", 2)[0], "/"))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d files checked: the walk is broken", checked)
	}
}
