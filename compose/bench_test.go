package compose_test

import (
	"context"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// BenchmarkLoadLargestCorpusPair loads the corpus project whose docker-compose.yml plus rancher-compose.yml
// is the largest, with its answers.env, as `config` would.
func BenchmarkLoadLargestCorpusPair(b *testing.B) {
	root, ok := corpusDir(b)
	if !ok {
		b.Skipf("corpus not found (set CORPUS_DIR or put it at ../shared/corpus): %s", root)
	}
	pairs := corpusPairs(b, root)
	if len(pairs) == 0 {
		b.Fatalf("no docker-compose.yml under %s", root)
	}
	largest := pairs[0]
	for _, p := range pairs[1:] {
		if p.bytes > largest.bytes {
			largest = p
		}
	}
	if _, err := loadPair(largest); err != nil {
		b.Fatalf("%s: %v", largest.rel, err)
	}
	b.Logf("largest pair: %s (%d bytes)", largest.rel, largest.bytes)
	b.SetBytes(largest.bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := compose.Load(context.Background(), compose.Options{WorkDir: largest.dir, EnvFile: largest.envFile}); err != nil {
			b.Fatal(err)
		}
	}
}
