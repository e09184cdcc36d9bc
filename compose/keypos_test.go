package compose

import (
	"reflect"
	"testing"
)

func TestKeyPositions(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "version: '2'\nservices:\n  web:\n    image: nginx\n    labels:\n      io.rancher.sidekicks: log\n    ports: ['80']\n  log:\n    image: busybox\n",
		"rancher-compose.yml": "version: '2'\nservices:\n  web:\n    scale: 2\n    health_check:\n      port: 80\n",
	}, Options{})
	web := p.Service("web")
	cases := []struct {
		segs []string
		want string
	}{
		{[]string{"image"}, "docker-compose.yml:4:5: services.web.image"},
		{[]string{"labels", "io.rancher.sidekicks"}, `docker-compose.yml:6:7: services.web.labels["io.rancher.sidekicks"]`},
		{[]string{"ports", "0"}, "docker-compose.yml:7:13: services.web.ports[0]"},
		{[]string{"rancher", "health_check", "port"}, "rancher-compose.yml:6:7: services.web.health_check.port"},
		{[]string{"rancher", "health_check", "interval"}, "rancher-compose.yml:5:5: services.web.health_check"},
		{[]string{"nothing"}, "docker-compose.yml:3:3: services.web"},
	}
	for _, c := range cases {
		if got := web.Key(c.segs...).String(); got != c.want {
			t.Errorf("Key(%q) = %q, want %q", c.segs, got, c.want)
		}
	}
	if !web.HasKey("rancher", "scale") || web.HasKey("rancher", "upgrade_strategy") {
		t.Errorf("HasKey: scale is written, upgrade_strategy is not")
	}
	if got := web.TopKeys(false); !reflect.DeepEqual(got, []string{"image", "labels", "ports"}) {
		t.Errorf("TopKeys(false) = %v", got)
	}
	if got := web.TopKeys(true); !reflect.DeepEqual(got, []string{"health_check", "scale"}) {
		t.Errorf("TopKeys(true) = %v", got)
	}
}
