package transform_test

import (
	"errors"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/sim/transform"
)

// The simulator's handler for POST /v2-beta/scripts/transform.
func ExampleTransformJSON() {
	body := []byte(`{"Name":"/web","Config":{"Image":"nginx:1.13","ExposedPorts":{"80/tcp":{}},"Env":["A=1"]},
		"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"NetworkMode":""}}`)
	lc, err := transform.TransformJSON(body)
	fmt.Println(lc["type"], lc["imageUuid"], lc["ports"], lc["environment"], lc["networkMode"], err)

	_, err = transform.TransformJSON([]byte(`{"HostConfig":{"NetworkMode":"container:db"}}`))
	var te *transform.Error
	if errors.As(err, &te) {
		fmt.Println(te.Status, te.Code, te.Message)
	}
	// Output:
	// launchConfig docker:nginx:1.13 [8080:80/tcp] map[A:1] bridge <nil>
	// 422 InvalidOption Transformer API does not support container network mode.
}
