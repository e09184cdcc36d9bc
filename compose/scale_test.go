package compose

import (
	"fmt"
	"testing"
)

// TestScaleIsBounded: a scale outside 0..MaxScale, in any place a scale is written, is refused at its
// file:line (exit 2); MaxScale itself loads.
func TestScaleIsBounded(t *testing.T) {
	places := map[string]func(v string) map[string]string{
		"compose scale": func(v string) map[string]string {
			return map[string]string{"docker-compose.yml": "services:\n  web:\n    image: nginx\n    scale: " + v + "\n"}
		},
		"rancher-compose.yml": func(v string) map[string]string {
			return map[string]string{"docker-compose.yml": "services:\n  web:\n    image: nginx\n",
				"rancher-compose.yml": "version: '2'\nservices:\n  web:\n    scale: " + v + "\n"}
		},
		"deploy.replicas": func(v string) map[string]string {
			return map[string]string{"docker-compose.yml": "version: '3'\nservices:\n  web:\n    image: nginx\n    deploy:\n      replicas: " + v + "\n"}
		},
	}
	for place, files := range places {
		for _, v := range []string{"1000000000", "1e9", "-1", fmt.Sprint(MaxScale + 1)} {
			t.Run(place+" "+v, func(t *testing.T) {
				ce := mustFail(t, files(v), Options{})
				d := requireDiag(t, ce.Problems, "scale must")
				if d.Pos.Line == 0 || d.Pos.File == "" {
					t.Errorf("no file:line in %s", d)
				}
			})
		}
		t.Run(place+" max", func(t *testing.T) {
			if p := mustLoad(t, files(fmt.Sprint(MaxScale)), Options{}); p.Service("web") == nil {
				t.Fatal("web not loaded")
			}
		})
	}
}
