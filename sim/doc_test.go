package sim

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocumentedCounterpartsExist keeps the package documentation's tables honest: every Go test it
// names is defined in sim/ or e2e/, and the test_compose.py table has the original's 81 tests.
func TestDocumentedCounterpartsExist(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var sources strings.Builder
	for _, glob := range []string{"*_test.go", "../e2e/*_test.go"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, _ := os.ReadFile(f)
			sources.Write(b)
		}
	}
	src := sources.String()
	named := regexp.MustCompile(`\bTest[A-Z][A-Za-z0-9_]*`).FindAllString(string(doc), -1)
	if len(named) < 90 {
		t.Errorf("only %d test names in doc.go", len(named))
	}
	for _, name := range named {
		if !strings.Contains(src, "func "+name+"(") {
			t.Errorf("doc.go names %s, which no test file defines", name)
		}
	}
	rows := regexp.MustCompile(`(?m)^//\t +\d+ test_\w+`).FindAllString(string(doc), -1)
	if len(rows) != 81 {
		t.Errorf("test_compose.py table has %d rows, want 81", len(rows))
	}
}
