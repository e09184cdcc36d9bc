package cmd

import (
	"reflect"
	"testing"
	"time"
)

func TestParseTimeout(t *testing.T) {
	cases := map[string]time.Duration{"90s": 90 * time.Second, "10m": 10 * time.Minute, "30": 30 * time.Second, "0": 0}
	for in, want := range cases {
		if got, err := parseTimeout(in); err != nil || got != want {
			t.Errorf("parseTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "-5", "-1m"} {
		if _, err := parseTimeout(bad); err == nil {
			t.Errorf("parseTimeout(%q) accepted", bad)
		}
	}
}

func TestRunOptionsValidateIsAUsageError(t *testing.T) {
	for _, o := range []runOptions{{Progress: "fancy"}, {Progress: "plain", Timeout: "whenever"}} {
		if err := o.validate(); exitCodeFor(err) != ExitUsage {
			t.Errorf("%+v: %v (exit %d)", o, err, exitCodeFor(err))
		}
	}
}

func TestParseScaleArgs(t *testing.T) {
	got, err := parseScaleArgs([]string{"web=3", "worker=0"})
	if err != nil || !reflect.DeepEqual(got, []scaleTarget{{"web", 3}, {"worker", 0}}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range [][]string{nil, {"web"}, {"web=x"}, {"=3"}, {"web=-1"}} {
		if _, err := parseScaleArgs(bad); exitCodeFor(err) != ExitUsage {
			t.Errorf("%v: %v", bad, err)
		}
	}
}
