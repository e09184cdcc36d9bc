package engine

import (
	"errors"
	"testing"
)

// A deploy's failed services are told, and unwrapped, in name order whatever the map's order.
func TestFailedServicesInNameOrder(t *testing.T) {
	web, api := errors.New("web broke"), errors.New("api broke")
	failed := map[string]error{"web": web, "api": api}
	if got, want := FailedServicesMessage(failed), "2 service(s) failed: api: api broke; web: web broke"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	errs := FailedServicesErrors(failed)
	if len(errs) != 2 || errs[0] != api || errs[1] != web {
		t.Fatalf("errors %v, want [api broke web broke]", errs)
	}
}
