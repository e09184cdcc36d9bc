package upgrade

import (
	"bufio"
	"bytes"
	"reflect"
	"testing"
)

func TestReadFrameUnmaskedMaskedAndLong(t *testing.T) {
	var buf bytes.Buffer
	buf.Write([]byte{0x81, 5})
	buf.WriteString("01 hi")
	mask := []byte{1, 2, 3, 4}
	buf.Write([]byte{0x81, 0x80 | 3})
	buf.Write(mask)
	for i, b := range []byte("abc") {
		buf.WriteByte(b ^ mask[i%4])
	}
	long := bytes.Repeat([]byte("x"), 300)
	buf.Write([]byte{0x82, 126, 1, 44})
	buf.Write(long)
	r := bufio.NewReader(&buf)
	for _, want := range []string{"01 hi", "abc", string(long)} {
		_, got, err := readFrame(r)
		if err != nil || string(got) != want {
			t.Fatalf("frame %q err %v, want %q", got, err, want)
		}
	}
}

func TestFrameLinesStripTheStreamPrefix(t *testing.T) {
	if got := frameLines([]byte("01 a\nb\r\n")); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("lines = %q", got)
	}
	if got := frameLines([]byte("01 ")); got != nil {
		t.Errorf("short frame gave %q", got)
	}
}

func TestOutOfSyncWarningIsEmitted(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	r := execute(t, t.Context(), []*Desired{cur}, []*Service{live(old, "active")}, Options{}, nil)
	found := false
	for _, e := range r.events.Events() {
		found = found || (e.Resource == "web" && e.Status == "warning" && e.Text == "Service web is out of sync with local configuration file (run with --upgrade to apply it)")
	}
	if !found || r.api.callsOf("web") != "" {
		t.Errorf("events %v calls %q", r.events.Events(), r.api.callsOf("web"))
	}
}
