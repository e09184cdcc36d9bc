package cmd

import (
	"os"
	"time"
)

// Factory holds the dependencies commands need. Tests build one with fakes; Main builds the real one.
type Factory struct {
	IO *IOStreams
	// LookupEnv reads the process environment (os.LookupEnv in production).
	LookupEnv func(string) (string, bool)
	// Environ lists the process environment as KEY=VALUE (os.Environ in production).
	Environ func() []string
	// Getwd returns the working directory used for default file names and the project name.
	Getwd func() (string, error)
	// Now is the clock used for timestamps and deadlines.
	Now func() time.Time
}

// SystemFactory returns the production dependencies.
func SystemFactory() *Factory {
	return &Factory{
		IO:        SystemIO(),
		LookupEnv: os.LookupEnv,
		Environ:   os.Environ,
		Getwd:     os.Getwd,
		Now:       time.Now,
	}
}
