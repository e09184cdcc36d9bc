package transformcache

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkGet500 reads back 500 entries of 2 KB, a no-op run's worth at N=500.
func BenchmarkGet500(b *testing.B) {
	c, err := Open(b.TempDir(), scope())
	if err != nil {
		b.Fatal(err)
	}
	body := func(i int) []byte { return []byte(fmt.Sprintf(`{"Config":{"Image":"bench/s%d:1.0"}}`, i)) }
	for i := 0; i < 500; i++ {
		c.Put(body(i), bytes.Repeat([]byte("x"), 2048))
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := 0; i < 500; i++ {
			if _, ok := c.Get(body(i)); !ok {
				b.Fatal("miss")
			}
		}
	}
}
