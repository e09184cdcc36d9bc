package cmd

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// commandIndex finds the command name in args (args[0] is the program): the first argument that is
// neither a global flag nor a global flag's value.
func commandIndex(app *cli.App, args []string) int {
	takesValue := map[string]bool{}
	for _, fl := range app.Flags {
		if _, isBool := fl.(*cli.BoolFlag); isBool {
			continue
		}
		for _, n := range fl.Names() {
			takesValue[n] = true
		}
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return i + 1
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return i
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue[name] {
			i++
		}
	}
	return len(args)
}

func commandName(app *cli.App, args []string) string {
	if i := commandIndex(app, args); i < len(args) {
		return args[i]
	}
	return ""
}

// reorderCommandArgs reproduces urfave/cli v1.18, which the original used: the arguments after the command
// are re-ordered as [from the first flag on] + [positional arguments before it], so `up web -d` and
// `up -d web` both work while `up --upgrade web -d` leaves `-d` positional, exactly as before.
func reorderCommandArgs(app *cli.App, args []string) []string {
	ci := commandIndex(app, args)
	if ci >= len(args) {
		return args
	}
	rest := args[ci+1:]
	first, terminator := -1, -1
	for i, a := range rest {
		if a == "--" {
			terminator = i
			break
		}
		if a != "-" && strings.HasPrefix(a, "-") && first == -1 {
			first = i
		}
	}
	if first == -1 {
		return args
	}
	regular := append([]string{}, rest[:first]...)
	flags := rest[first:]
	if terminator > -1 {
		flags = rest[first:terminator]
		regular = append(regular, rest[terminator:]...)
	}
	out := append([]string{}, args[:ci+1]...)
	out = append(out, flags...)
	return append(out, regular...)
}
