package sim

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestAppendJSONEncodesAsEncodingJSON(t *testing.T) {
	cases := []any{
		nil, true, false, 0, -7, int64(1) << 60, 0.5, -0.0, 1e21, 1e20, 1e-7, 1e-6, 123456789.125, math.MaxFloat64, 3.0,
		"", "plain", `quote " back \ slash`, "<html> & </html>", "ctl \b\f\n\r\t\x00\x01\x1f", "line\u2028sep\u2029", "bad \xff utf8", "ünïcødé ✓",
		map[string]any{"b": 1, "a": []any{"x", nil, map[string]any{}}, "c": map[string]any{"z": "y"}},
		[]any{}, map[string]any(nil), []any(nil),
		map[string]any{"typed": []string{"a", "b"}, "m": map[string]string{"k": "v"}, "time": time.Unix(0, 0).UTC(), "n": json.Number("12")},
	}
	for _, v := range cases {
		want, werr := json.Marshal(v)
		got, gerr := appendJSON(nil, v)
		if (werr != nil) != (gerr != nil) || string(got) != string(want) {
			t.Errorf("%#v:\n got %s (%v)\nwant %s (%v)", v, got, gerr, want, werr)
		}
	}
	if _, err := appendJSON(nil, map[string]any{"nan": math.NaN()}); err == nil {
		t.Error("NaN encoded without an error")
	}
}

// Every resource of a deployed stack, as rendered, encodes byte for byte as json.Marshal would.
func TestAppendJSONMatchesEncodingJSONOnRenderedResources(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("enc")
	svc := c.createService(strOf(st["id"]), "web", 2, map[string]any{"imageUuid": "docker:nginx:1",
		"labels": map[string]any{"a<b": "c&d"}, "environment": map[string]any{"X": "1"}, "memory": 1048576})
	settle(t, s)
	c.action(c.reload(svc), "activate", nil, 202)
	settle(t, s)
	for _, path := range []string{"/v2-beta/services", "/v2-beta/containers", "/v2-beta/stacks", "/v2-beta/hosts", "/v2-beta/schemas", "/v1/environments"} {
		r := c.do("GET", path, nil)
		if r.status != 200 {
			t.Fatalf("GET %s: %d", path, r.status)
		}
		var generic any
		if err := json.Unmarshal([]byte(r.raw), &generic); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(generic)
		got, err := appendJSON(nil, generic)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: appendJSON differs from json.Marshal (%v)", path, err)
		}
		if string(want) != r.raw {
			t.Errorf("%s: the answer is not encoding/json's canonical form", path)
		}
	}
}

func TestAppendJSONObjectInMatchesMarshal(t *testing.T) {
	order := []string{"a", "b", "c<", "d"}
	for _, m := range []map[string]any{
		{"a": 1, "c<": "x&y", "d": nil},
		{},
		{"b": []any{map[string]any{"z": 1, "y": 2}}, "extra": true}, // a key outside order: sorted the usual way
	} {
		got, err := appendJSONObjectIn([]byte("prefix"), m, order)
		want, _ := json.Marshal(m)
		if err != nil || string(got) != "prefix"+string(want) {
			t.Errorf("appendJSONObjectIn(%v) = %s, %v; want prefix%s", m, got, err, want)
		}
	}
}
