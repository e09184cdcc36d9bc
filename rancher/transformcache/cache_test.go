package transformcache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

const (
	testURL     = "http://127.0.0.1:8080/v2-beta/projects/1a5/scripts/transform"
	testVersion = "v1.6.30"
)

var testSecret = []byte("key material derived from the secret key")

func open(t *testing.T, dir string, scope Scope) *Cache {
	t.Helper()
	c, err := Open(dir, scope)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func scope() Scope { return Scope{URL: testURL, ServerVersion: testVersion, Secret: testSecret} }

func TestAnswerKeptIsReturnedByteForByteToTheSameScope(t *testing.T) {
	dir := t.TempDir()
	body := []byte(`{"Config":{"Image":"nginx:1","Env":["A=1"]}}`)
	answer := []byte(`{"imageUuid":"docker:nginx:1", "environment":{"A":"1"}}`)
	open(t, dir, scope()).Put(body, answer)
	got, ok := open(t, dir, scope()).Get(body)
	if !ok || !bytes.Equal(got, answer) {
		t.Fatalf("another Cache on the same directory and scope: got %q, %v; want %q", got, ok, answer)
	}
}

func TestAnotherBodyURLVersionOrSecretMisses(t *testing.T) {
	dir := t.TempDir()
	body := []byte(`{"Config":{"Image":"nginx:1"}}`)
	open(t, dir, scope()).Put(body, []byte(`{"imageUuid":"docker:nginx:1"}`))
	if _, ok := open(t, dir, scope()).Get([]byte(`{"Config":{"Image":"nginx:2"}}`)); ok {
		t.Error("another body hit")
	}
	others := map[string]Scope{
		"URL":     {URL: "http://127.0.0.1:8081/v2-beta/projects/1a5/scripts/transform", ServerVersion: testVersion, Secret: testSecret},
		"version": {URL: testURL, ServerVersion: "v1.6.31", Secret: testSecret},
		"secret":  {URL: testURL, ServerVersion: testVersion, Secret: []byte("another secret")},
	}
	for what, sc := range others {
		if _, ok := open(t, dir, sc).Get(body); ok {
			t.Errorf("another %s hit", what)
		}
	}
}

func TestNoSecretMeansNoCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "transform")
	c, err := Open(dir, Scope{URL: testURL, ServerVersion: testVersion})
	if !errors.Is(err, ErrNoSecret) || c != nil {
		t.Fatalf("Open without a secret: %v, %v; want ErrNoSecret", c, err)
	}
	c.Put([]byte("b"), []byte("a")) // a nil cache keeps nothing and never hits
	if _, ok := c.Get([]byte("b")); ok {
		t.Error("a nil cache hit")
	}
	c.Trim()
}

func TestEntriesRevealNoValueAndArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "transform")
	const password = "hunter2-s3cr3t-Pa55"
	body := []byte(`{"Config":{"Image":"postgres:10","Env":["POSTGRES_PASSWORD=` + password + `"]}}`)
	answer := []byte(`{"environment":{"POSTGRES_PASSWORD":"` + password + `"},"imageUuid":"docker:postgres:10"}`)
	open(t, dir, scope()).Put(body, answer)
	for _, d := range []string{dir, filepath.Dir(dir)} {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, mode %v; want 0700", d, err, fi.Mode().Perm())
		}
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("%d files, want one entry", len(files))
	}
	name := files[0].Name()
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(name) {
		t.Errorf("entry name %q: want an HMAC in hex", name)
	}
	fi, _ := files[0].Info()
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("entry mode %v, want 0600", fi.Mode().Perm())
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{password, "POSTGRES_PASSWORD", "postgres:10", "environment"} {
		if bytes.Contains(data, []byte(clear)) {
			t.Errorf("the entry holds %q in clear", clear)
		}
	}
}

func TestWidePermissionsAreNarrowed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "transform")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	open(t, dir, scope()).Put([]byte("b"), []byte("a"))
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v after Put, want 0700", fi.Mode().Perm())
	}
}

func TestNothingIsCreatedUntilAnEntryIsKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rancher-compose", "transform")
	c := open(t, dir, scope())
	c.Get([]byte("b"))
	c.Trim()
	if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
		t.Fatalf("Open, Get and Trim created %s (%v)", filepath.Dir(dir), err)
	}
	c.Put([]byte("b"), []byte("a"))
	if _, ok := c.Get([]byte("b")); !ok {
		t.Error("the first Put kept nothing")
	}
}

func TestCorruptEntryIsAMissAndIsRewritten(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, scope())
	body, answer := []byte(`{"Config":{"Image":"a"}}`), []byte(`{"imageUuid":"docker:a"}`)
	c.Put(body, answer)
	path := filepath.Join(dir, c.name(body))
	good, _ := os.ReadFile(path)
	for what, bad := range map[string][]byte{
		"flipped byte": flip(good, len(good)-3),
		"truncated":    good[:len(good)/2],
		"empty":        {},
		"other format": append([]byte("rctc0\n"), good[len(magic):]...),
	} {
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.Get(body); ok {
			t.Errorf("%s: hit %q", what, got)
		}
	}
	c.Put(body, answer)
	if got, ok := c.Get(body); !ok || !bytes.Equal(got, answer) {
		t.Errorf("after a new Put: %q, %v", got, ok)
	}
}

func TestEntryCopiedUnderAnotherNameDoesNotOpen(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, scope())
	a, b := []byte(`{"Config":{"Image":"a"}}`), []byte(`{"Config":{"Image":"b"}}`)
	c.Put(a, []byte(`{"imageUuid":"docker:a"}`))
	data, _ := os.ReadFile(filepath.Join(dir, c.name(a)))
	if err := os.WriteFile(filepath.Join(dir, c.name(b)), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get(b); ok {
		t.Errorf("a's entry answered for b: %q", got)
	}
}

func flip(b []byte, i int) []byte {
	out := append([]byte{}, b...)
	out[i] ^= 0x40
	return out
}

func TestConcurrentWritersAndReadersSeeWholeEntries(t *testing.T) {
	dir := t.TempDir()
	const writers, keys, rounds = 8, 5, 40
	answerOf := func(k int) []byte { return bytes.Repeat([]byte(fmt.Sprintf(`"%d"`, k)), 500) }
	var wg sync.WaitGroup
	errs := make(chan string, writers*keys*rounds)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := open(t, dir, scope()) // one Cache per writer, as separate processes would have
			for r := 0; r < rounds; r++ {
				for k := 0; k < keys; k++ {
					body := []byte(fmt.Sprintf(`{"k":%d}`, k))
					c.Put(body, answerOf(k))
					if got, ok := c.Get(body); ok && !bytes.Equal(got, answerOf(k)) {
						errs <- fmt.Sprintf("key %d: read %d bytes that are not its answer", k, len(got))
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != keys {
		t.Errorf("%d files left, want %d entries and no temporary file", len(files), keys)
	}
}

func TestTrimEvictsTheLeastRecentlyUsedBeyondTheBound(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, scope())
	c.MaxEntries = 10
	body := func(i int) []byte { return []byte(fmt.Sprintf(`{"i":%d}`, i)) }
	old := time.Now().Add(-time.Hour)
	for i := 0; i < 20; i++ {
		c.Put(body(i), []byte(`{"x":1}`))
		at := old.Add(time.Duration(i) * time.Second)
		_ = os.Chtimes(filepath.Join(dir, c.name(body(i))), at, at)
	}
	c.Get(body(0)) // used now: the most recent
	stale := filepath.Join(dir, tempPrefix+"dead")
	_ = os.WriteFile(stale, []byte("x"), 0o600)
	_ = os.Chtimes(stale, old, old)
	c.Trim()
	files, _ := os.ReadDir(dir)
	if len(files) != 9 {
		t.Errorf("%d files after Trim with MaxEntries 10, want 9 (nine tenths)", len(files))
	}
	for _, i := range []int{0, 19, 18} {
		if _, ok := c.Get(body(i)); !ok {
			t.Errorf("entry %d, among the most recently used, was evicted", i)
		}
	}
	if _, ok := c.Get(body(1)); ok {
		t.Error("entry 1, the least recently used, was kept")
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("a temporary file an hour old was kept")
	}
}

func TestTrimDoesNothingAfterARunThatKeptNothing(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, scope())
	for i := 0; i < 5; i++ {
		c.Put([]byte(fmt.Sprint(i)), []byte("a"))
	}
	reader := open(t, dir, scope())
	reader.MaxEntries = 1
	reader.Trim()
	if files, _ := os.ReadDir(dir); len(files) != 5 {
		t.Errorf("%d files: a run that only read trimmed", len(files))
	}
}
