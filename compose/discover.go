package compose

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Default file names, as in the original.
const (
	DefaultComposeFile  = "docker-compose.yml"
	DefaultOverrideFile = "docker-compose.override.yml"
	DefaultRancherFile  = "rancher-compose.yml"
	// StdinFile is the -f value that reads the compose file from standard input.
	StdinFile = "-"
)

// source is one input file: its display name, directory (for relative paths) and bytes.
type source struct {
	name string // as given on the command line, or "-" for stdin
	path string // absolute path ("" for stdin)
	dir  string // directory relative paths in the file refer to
	data []byte
}

// discoverComposeFiles returns the compose file paths to read, as the original's Populate does.
func discoverComposeFiles(o *Options) []string {
	if len(o.Files) > 0 {
		return o.Files
	}
	files := []string{DefaultComposeFile}
	if _, err := os.Stat(o.abs(DefaultOverrideFile)); err == nil {
		files = append(files, DefaultOverrideFile)
	}
	return files
}

// readSource reads one compose file, or stdin for "-".
func readSource(o *Options, name string) (*source, error) {
	if name == StdinFile {
		data, err := o.readStdin()
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		return &source{name: name, dir: o.WorkDir, data: data}, nil
	}
	p := o.abs(name)
	data, err := o.readFile(p)
	if err != nil {
		return nil, err
	}
	return &source{name: name, path: p, dir: filepath.Dir(p), data: data}, nil
}

// fileError phrases a read error without Go's "open /abs/path" noise.
func fileError(name string, err error) error {
	if errors.Is(err, ErrInputTooLarge) {
		return fmt.Errorf("%s: %w", name, err)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file not found: %s", name)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read %s: %v", name, pe.Err)
	}
	return fmt.Errorf("cannot read %s: %w", name, err)
}

// fileProblem phrases a read error for a diagnostic whose position already names the file.
func fileProblem(err error) string {
	if errors.Is(err, ErrInputTooLarge) {
		return err.Error()
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "file not found"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot read the file: " + pe.Err.Error()
	}
	return "cannot read the file: " + err.Error()
}

// rancherFilePath returns the rancher-compose.yml to read and whether it was named explicitly (-r).
func rancherFilePath(o *Options, first *source) (string, bool) {
	if o.RancherFile != "" {
		return o.RancherFile, true
	}
	if first == nil || first.path == "" {
		return filepath.Join(o.WorkDir, DefaultRancherFile), false
	}
	if filepath.IsAbs(first.name) {
		return filepath.Join(first.dir, DefaultRancherFile), false
	}
	return filepath.Join(filepath.Dir(first.name), DefaultRancherFile), false
}

var projectNameInvalid = regexp.MustCompile(`[^a-zA-Z0-9-]`)

// SanitizeProjectName reproduces the original's stack-name rule: lower case, every character outside
// [a-zA-Z0-9-] becomes '-', and an 'x' is prepended when the result starts with '-'
// ("something-with-dashes-v0.2.6" → "something-with-dashes-v0-2-6", "My_App" → "my-app").
func SanitizeProjectName(name string) string {
	s := projectNameInvalid.ReplaceAllString(strings.ToLower(name), "-")
	if s != "" && strings.ContainsAny(s[:1], "_.-") {
		s = "x" + s
	}
	return s
}

// projectName picks -p/COMPOSE_PROJECT_NAME, else the first file's directory name (the working
// directory for stdin), and sanitises it.
func projectName(o *Options, first *source) string {
	if o.ProjectName != "" {
		return SanitizeProjectName(o.ProjectName)
	}
	dir := o.WorkDir
	if first != nil && first.path != "" {
		dir = first.dir
	}
	return SanitizeProjectName(filepath.Base(dir))
}
