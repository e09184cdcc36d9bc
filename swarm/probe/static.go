package probe

import (
	"debug/elf"
	"fmt"
)

// CheckStatic returns an error unless path is a statically linked ELF executable: a probe bind-mounted into
// a FROM scratch container finds no dynamic loader or libc there.
func CheckStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("probe %s: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("probe %s is dynamically linked; build it with CGO_ENABLED=0 so it runs in images without libc", path)
		}
	}
	return nil
}
