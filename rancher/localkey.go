package rancher

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// ServerVersion names the server's version: its X-Rancher-Version header as discovery saw it, or, from a
// server that sends none, a digest of its schema collection ("schemas sha256:..."), which changes with it.
func (c *Client) ServerVersion() string { return c.version }

func serverVersion(header string, schemas []byte) string {
	if header != "" {
		return header
	}
	sum := sha256.Sum256(schemas)
	return "schemas sha256:" + hex.EncodeToString(sum[:])
}

// LocalKey derives key material for what this run keeps on disk about the server (HMAC-SHA256 of purpose
// under the API secret key), so that a local cache can be encrypted without the secret leaving the client.
// It is nil when the client has no secret key (access control off): nothing could then be kept secret.
func (c *Client) LocalKey(purpose string) []byte {
	if c.cfg.SecretKey == "" {
		return nil
	}
	m := hmac.New(sha256.New, []byte(c.cfg.SecretKey))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
