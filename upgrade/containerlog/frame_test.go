package containerlog

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

func TestDecodeLogFrame(t *testing.T) {
	if got := decodeLogFrame([]byte("01 hello\nworld\n")); !reflect.DeepEqual(got, []string{"1hello", "1world"}) {
		t.Errorf("stdout frame: %q", got)
	}
	if got := decodeLogFrame([]byte("02 oops\n")); !reflect.DeepEqual(got, []string{"2oops"}) {
		t.Errorf("stderr frame: %q", got)
	}
	if got := decodeLogFrame([]byte("01\n")); got != nil {
		t.Errorf("short frames are skipped: %q", got)
	}
}

func TestFrameLinesStripTheStreamPrefix(t *testing.T) {
	frameLines := func(p []byte) []string {
		var out []string
		for _, l := range decodeLogFrame(p) {
			out = append(out, l[1:])
		}
		return out
	}
	if got := frameLines([]byte("01 a\nb\r\n")); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("lines = %q", got)
	}
	if got := frameLines([]byte("01 ")); got != nil {
		t.Errorf("short frame gave %q", got)
	}
}
