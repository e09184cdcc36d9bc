package vars

import (
	"io/fs"
	"testing"
)

// FuzzEnvFile feeds arbitrary bytes to the env-file reader: it must not panic, and a file it accepts
// never defines the empty variable name.
func FuzzEnvFile(f *testing.F) {
	for _, seed := range []string{
		"A=1\n", "export A='x y'\n# c\nB=\"${A}\\n\"\n", "NOEQ", "=x", "A=\"open\n", "A: yaml-style\n", "\xff=\x00",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		read := func(p string) ([]byte, error) {
			if p == "answers.env" {
				return data, nil
			}
			return nil, fs.ErrNotExist
		}
		s, err := Load(Options{EnvFile: "answers.env", ReadFile: read})
		if err != nil {
			return
		}
		if v := s.Resolve(""); v.Source != Unset {
			t.Fatalf("accepted an empty variable name from %q", data)
		}
	})
}
