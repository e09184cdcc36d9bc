package transform

import "testing"

// BenchmarkTransformJSON transforms a typical request body as rancher-compose sends it.
func BenchmarkTransformJSON(b *testing.B) {
	body := []byte(dnsimpleRequest)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TransformJSON(body); err != nil {
			b.Fatal(err)
		}
	}
}
