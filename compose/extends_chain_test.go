package compose

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// extendsChain is a compose file of n services, each extending the one before it and adding a label;
// reversed lists them from the last (the longest chain first).
func extendsChain(n int, reversed bool) string {
	var b strings.Builder
	b.WriteString("version: '2'\nservices:\n")
	for j := 0; j < n; j++ {
		i := j
		if reversed {
			i = n - 1 - j
		}
		if i == 0 {
			b.WriteString("  s0:\n    image: nginx\n")
			continue
		}
		fmt.Fprintf(&b, "  s%d:\n    extends:\n      service: s%d\n    environment:\n      V%d: x\n", i, i-1, i%10)
	}
	return b.String()
}

func loadChain(tb testing.TB, n int, reversed bool) *Project {
	tb.Helper()
	p, err := Load(context.Background(), Options{Files: []string{"-"}, Stdin: strings.NewReader(extendsChain(n, reversed)), WorkDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestExtendsChainLoadsLinearly: a 2,000-service extends chain loads, in either order, resolving each
// service once.
func TestExtendsChainLoadsLinearly(t *testing.T) {
	for _, reversed := range []bool{false, true} {
		before := resolveSteps.Load()
		p := loadChain(t, 2000, reversed)
		steps := resolveSteps.Load() - before
		last := p.Service("s1999")
		if last == nil || last.Compose.Image != "nginx" || len(last.Compose.Environment) != 10 {
			t.Fatalf("s1999 not resolved: %+v", last)
		}
		t.Logf("reversed=%v: %d resolve steps for 2000 services", reversed, steps)
		if steps > 2000 {
			t.Errorf("reversed=%v: %d resolve steps for 2000 services, want at most one per service", reversed, steps)
		}
	}
}

// BenchmarkExtendsChain prints ns/op for chains of 500, 1000 and 2000 services (listed last first), and
// the process's CPU time per op (cpu-ns/op), which a loaded machine disturbs less than wall time.
func BenchmarkExtendsChain(b *testing.B) {
	for _, n := range []int{500, 1000, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				loadChain(b, n, true)
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
