package cmd

import (
	"os"
	"testing"
)

// /dev/null is a character device, not a terminal: a job sending stderr there gets the plain renderer.
func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("/dev/null taken for a terminal")
	}
}
