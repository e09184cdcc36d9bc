package compose

import "testing"

// TestServiceWithoutImageIsRefused: a service with neither image nor build, or an empty image (also one
// blanked by an unset variable), is exit 2 at its file:line.
func TestServiceWithoutImageIsRefused(t *testing.T) {
	cases := map[string]struct {
		compose string
		want    []string
	}{
		"neither":        {"services:\n  web:\n    command: run\n", []string{"docker-compose.yml:2", "services.web", "neither an image nor a build"}},
		"neither v2":     {"version: '2'\nservices:\n  web:\n    ports: [80]\n", []string{"docker-compose.yml:3", "neither an image nor a build"}},
		"neither v3":     {"version: '3.4'\nservices:\n  web:\n    ports: [80]\n", []string{"docker-compose.yml:3", "neither an image nor a build"}},
		"empty":          {"services:\n  web:\n    image: ''\n", []string{"docker-compose.yml:3", "services.web.image", "image is empty"}},
		"unset variable": {"services:\n  web:\n    image: ${NO_SUCH_IMAGE}\n", []string{"docker-compose.yml:3", "image is empty"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ce := mustFail(t, map[string]string{"docker-compose.yml": c.compose}, Options{})
			requireDiag(t, ce.Problems, c.want...)
		})
	}
}

// TestKindsWithoutImageLoad: load balancers, external services, selector services and drivers get their
// container (or none) from Rancher, and load without an image.
func TestKindsWithoutImageLoad(t *testing.T) {
	cases := map[string]map[string]string{
		"load balancer": {"docker-compose.yml": "version: '2'\nservices:\n  lb:\n    ports: ['80:80']\n  web:\n    image: nginx\n",
			"rancher-compose.yml": "version: '2'\nservices:\n  lb:\n    lb_config:\n      port_rules:\n      - source_port: 80\n        target_port: 80\n        service: web\n"},
		"external ips": {"docker-compose.yml": "version: '2'\nservices:\n  ext:\n    labels: {a: b}\n",
			"rancher-compose.yml": "version: '2'\nservices:\n  ext:\n    external_ips: [1.2.3.4]\n"},
		"external hostname": {"docker-compose.yml": "version: '2'\nservices:\n  ext:\n    labels: {a: b}\n",
			"rancher-compose.yml": "version: '2'\nservices:\n  ext:\n    hostname: example.com\n"},
		"selector": {"docker-compose.yml": "version: '2'\nservices:\n  sel:\n    labels:\n      io.rancher.service.selector.container: app=web\n"},
		"build":    {"docker-compose.yml": "version: '2'\nservices:\n  web:\n    build: .\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) { mustLoad(t, files, Options{}) })
	}
}

// TestLabelKeysWithControlCharactersAreRefused: a label key holding a newline (or a tab, or another
// control character) is exit 2 at its file:line; values may hold newlines.
func TestLabelKeysWithControlCharactersAreRefused(t *testing.T) {
	for name, labels := range map[string]string{
		"newline in map":  "    labels:\n      \"a\\nb\": x\n",
		"tab in list":     "    labels:\n      - \"a\\tb=x\"\n",
		"escape char key": "    labels:\n      \"a\\x1bb\": x\n",
	} {
		t.Run(name, func(t *testing.T) {
			ce := mustFail(t, map[string]string{"docker-compose.yml": "services:\n  web:\n    image: nginx\n" + labels}, Options{})
			requireDiag(t, ce.Problems, "docker-compose.yml:5", "services.web.labels", "control character")
		})
	}
	mustLoad(t, map[string]string{"docker-compose.yml": "services:\n  web:\n    image: nginx\n    labels:\n      a: \"line1\\nline2\"\n"}, Options{})
}
