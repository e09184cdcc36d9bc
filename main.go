// Command rancher-compose deploys docker-compose + rancher-compose projects to Rancher 1.x.
package main

import (
	"os"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
)

func main() {
	os.Exit(int(cmd.Main()))
}
