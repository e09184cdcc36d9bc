#!/bin/sh
# Builds the original rancher-compose v0.12.5 from its source, for side-by-side figures
# (go run ./scripts/bench -scale -original BIN). It needs a checkout of github.com/rancher/rancher-compose
# (its vendor/ directory holds every dependency, so nothing is downloaded) and builds it in GOPATH mode,
# as in 2017, with a current Go.
#
#   scripts/build-original.sh SRC [OUT]    SRC: the checkout (tag v0.12.5), OUT: default /tmp/rancher-compose-v0.12.5
set -eu
src=${1:?usage: scripts/build-original.sh SRC [OUT]}
out=${2:-/tmp/rancher-compose-v0.12.5}
src=$(cd "$src" && pwd)
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
gopath=$(mktemp -d)
trap 'chmod -R u+w "$gopath"; rm -rf "$gopath"' EXIT
mkdir -p "$gopath/src/github.com/rancher"
ln -s "$src" "$gopath/src/github.com/rancher/rancher-compose"
cd "$gopath/src/github.com/rancher/rancher-compose"
GOPATH=$gopath GO111MODULE=off CGO_ENABLED=0 GOFLAGS= go build \
	-ldflags "-X github.com/rancher/rancher-compose/version.VERSION=$(git -C "$src" describe --tags 2>/dev/null || echo v0.12.5)" \
	-o "$out" .
"$out" --version
