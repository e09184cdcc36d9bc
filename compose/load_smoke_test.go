package compose

import (
	"context"
	"encoding/json"
	"testing"
)

func TestSmokeDockercoins(t *testing.T) {
	p, err := Load(context.Background(), Options{Files: []string{"../fixtures/dockercoins/docker-compose.yml"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(p, "", " ")
	t.Log(string(b))
	for _, w := range p.Warnings {
		t.Log(w)
	}
}
