// Package transformcache keeps the answers of POST scripts/transform on disk, so that a run whose launch
// configs are unchanged since an earlier one sends no transform at all.
//
// A transform is a pure function of the request body on one server version, and the service hash is
// computed from its answer, so an answer kept byte for byte gives the same hashes as one asked for again.
// An entry is keyed by the exact request body, the transform URL and the server's version, so another
// server, environment or version never gets it. Answers carry environment values (possibly passwords):
// each entry is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the API secret key and the
// URL, and named by an HMAC-SHA256 of its key, so neither names nor contents reveal anything without the
// secret key. Without one there is no cache (see Open).
//
// Every failure is a miss: an unreadable, corrupt or undecryptable entry is ignored (and replaced by the
// next answer), a write that fails is dropped. Writes go to a temporary file renamed into place, so
// concurrent runs read either a whole entry or none. Trim keeps the directory within MaxEntries and
// MaxBytes, evicting the entries least recently used.
package transformcache

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Default bounds of a cache directory. A transform answer is 1–3 KB: 20000 entries hold a few hundred
// stacks of ordinary size; the byte bound only matters for unusually large answers.
const (
	DefaultMaxEntries = 20000
	DefaultMaxBytes   = 64 << 20
)

// maxEntryBytes bounds one entry: a bigger answer is not kept, a bigger file is not read.
const maxEntryBytes = 1 << 20

// tempPrefix names files being written; Trim removes those a dead run left behind.
const tempPrefix = ".tmp-"

// staleTemp is the age after which a temporary file is taken for a dead run's.
const staleTemp = time.Hour

// magic starts every entry: the format's version, so that a later format reads this one as a miss.
var magic = []byte("rctc1\n")

// Scope is what the entries of one run belong to.
type Scope struct {
	// URL is the transform URL (scheme, host and path, the environment's included).
	URL string
	// ServerVersion is the server's version (X-Rancher-Version).
	ServerVersion string
	// Secret is key material derived from the API secret key (rancher.Client.LocalKey); empty: no cache.
	Secret []byte
}

// Cache is one directory of transform answers seen through one Scope. A nil *Cache is a cache that
// never hits and keeps nothing. It is safe for concurrent use, also by several processes.
type Cache struct {
	dir     string
	aead    cipher.AEAD
	nameKey []byte
	scope   []byte // URL and version, part of every entry's name

	// MaxEntries and MaxBytes bound the directory (Trim).
	MaxEntries int
	MaxBytes   int64

	stored atomic.Int64

	dirOnce sync.Once
	dirErr  error
}

// ErrNoSecret is Open's answer for a scope without secret key material: answers may hold passwords, and
// they are never kept in clear.
var ErrNoSecret = errors.New("no API secret key: the transform cache is not used")

// Open reads and keeps the entries of scope in dir. Nothing is created until the first Put, which makes dir
// 0700 (or narrows it to 0700), so a run that keeps nothing leaves no trace.
func Open(dir string, scope Scope) (*Cache, error) {
	if len(scope.Secret) == 0 {
		return nil, ErrNoSecret
	}
	encKey, err := hkdf.Key(sha256.New, scope.Secret, nil, "rancher-compose transform cache: aes-256-gcm\x00"+scope.URL, 32)
	if err != nil {
		return nil, err
	}
	nameKey, err := hkdf.Key(sha256.New, scope.Secret, nil, "rancher-compose transform cache: names\x00"+scope.URL, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	var sc bytes.Buffer
	writeField(&sc, []byte(scope.URL))
	writeField(&sc, []byte(scope.ServerVersion))
	return &Cache{dir: dir, aead: aead, nameKey: nameKey, scope: sc.Bytes(),
		MaxEntries: DefaultMaxEntries, MaxBytes: DefaultMaxBytes}, nil
}

// privateDir creates dir (and its missing parents) readable by its owner only.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("transform cache %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("transform cache %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("transform cache %s: not a directory", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("transform cache %s: %w", dir, err)
		}
	}
	return nil
}

// Dir is the directory the entries are in.
func (c *Cache) Dir() string { return c.dir }

// Get returns the answer kept for this exact request body, if a whole entry sealed under this scope's key
// is there. A hit marks the entry as used, for Trim.
func (c *Cache) Get(body []byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	name := c.name(body)
	path := filepath.Join(c.dir, name)
	sealed, err := readSmall(path)
	if err != nil {
		return nil, false
	}
	answer, ok := c.open(name, sealed)
	if !ok {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(path, now, now)
	return answer, true
}

// Put keeps answer as the one for body. Errors are dropped: the next run asks the server again.
func (c *Cache) Put(body, answer []byte) {
	if c == nil || len(answer) == 0 || len(answer) > maxEntryBytes-256 {
		return
	}
	if c.dirOnce.Do(func() { c.dirErr = privateDir(c.dir) }); c.dirErr != nil {
		return
	}
	name := c.name(body)
	if err := c.write(name, c.seal(name, answer)); err == nil {
		c.stored.Add(1)
	}
}

// name is the entry's file name: HMAC-SHA256 over the scope and the body, under the scope's name key.
func (c *Cache) name(body []byte) string {
	m := hmac.New(sha256.New, c.nameKey)
	m.Write(c.scope)
	writeField(m, body)
	return hex.EncodeToString(m.Sum(nil))
}

// writeField writes b with its length first, so that no two field lists write the same bytes.
func writeField(w io.Writer, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	_, _ = w.Write(n[:])
	_, _ = w.Write(b)
}

// seal is magic, a random nonce, then the answer encrypted and authenticated with the name as associated
// data (an entry copied under another name does not open).
func (c *Cache) seal(name string, answer []byte) []byte {
	nonce := make([]byte, c.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := append(append([]byte{}, magic...), nonce...)
	return c.aead.Seal(out, nonce, answer, []byte(name))
}

func (c *Cache) open(name string, sealed []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(sealed, magic)
	if !ok || len(rest) < c.aead.NonceSize() {
		return nil, false
	}
	nonce, ciphertext := rest[:c.aead.NonceSize()], rest[c.aead.NonceSize():]
	answer, err := c.aead.Open(nil, nonce, ciphertext, []byte(name))
	if err != nil || len(answer) == 0 {
		return nil, false
	}
	return answer, true
}

// readSmall reads a regular file of at most maxEntryBytes.
func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEntryBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxEntryBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxEntryBytes)
	}
	return data, nil
}

// write puts data in place whole: a temporary file (created 0600) renamed over the entry.
func (c *Cache) write(name string, data []byte) error {
	tmp, err := os.CreateTemp(c.dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, name)); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Trim, after a run that kept new entries, removes the least recently used entries beyond MaxEntries or
// MaxBytes (down to nine tenths of the bound, so that the next runs need not trim again), and temporary
// files older than an hour. Entries of every scope share the bounds. Errors are dropped.
func (c *Cache) Trim() {
	if c == nil || c.stored.Load() == 0 {
		return
	}
	entries, total := c.list()
	if len(entries) <= c.MaxEntries && total <= c.MaxBytes {
		return
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].used.Before(entries[j].used) })
	keepEntries, keepBytes := c.MaxEntries*9/10, c.MaxBytes*9/10
	n := len(entries)
	for _, e := range entries {
		if n <= keepEntries && total <= keepBytes {
			break
		}
		if err := os.Remove(filepath.Join(c.dir, e.name)); err == nil || errors.Is(err, os.ErrNotExist) {
			n--
			total -= e.size
		}
	}
}

type entryInfo struct {
	name string
	size int64
	used time.Time
}

// list returns the entries and their total size, removing stale temporary files on the way.
func (c *Cache) list() ([]entryInfo, int64) {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, 0
	}
	var out []entryInfo
	var total int64
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue
		}
		if strings.HasPrefix(de.Name(), tempPrefix) {
			if time.Since(fi.ModTime()) > staleTemp {
				_ = os.Remove(filepath.Join(c.dir, de.Name()))
			}
			continue
		}
		out = append(out, entryInfo{name: de.Name(), size: fi.Size(), used: fi.ModTime()})
		total += fi.Size()
	}
	return out, total
}
