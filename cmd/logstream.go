package cmd

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// logLine is one line of a container's log; Stderr is set for the host API's "02" stream.
type logLine struct {
	Text   string
	Stderr bool
}

// hostAccess is the answer of a container's logs action: a websocket URL and its token.
type hostAccess struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// openContainerLog asks the API for a container's log stream and connects to it. The reader yields one
// frame per log chunk, framed as Rancher's host API does (original-behavior.md §3.10).
func openContainerLog(ctx context.Context, c *rancher.Client, containerID string, follow bool, lines int) (*wsReader, error) {
	ctr, err := c.Containers().Get(ctx, containerID)
	if err != nil {
		return nil, fmt.Errorf("reading container %s: %w", containerID, err)
	}
	var access hostAccess
	input := map[string]any{"follow": follow, "lines": lines}
	if err := c.Action(ctx, ctr, "logs", input, &access); err != nil {
		return nil, fmt.Errorf("opening the log of %s: %w", ctr.Name, err)
	}
	u, err := url.Parse(access.URL)
	if err != nil {
		return nil, fmt.Errorf("log URL of %s: %w", ctr.Name, err)
	}
	q := u.Query()
	q.Set("token", access.Token)
	if !follow {
		q.Set("follow", "false")
	}
	u.RawQuery = q.Encode()
	return dialWebsocket(ctx, u)
}

// tailContainerLog returns the last lines of a container's log, for failure diagnostics.
func tailContainerLog(ctx context.Context, c *rancher.Client, containerID string, lines int) ([]string, error) {
	ws, err := openContainerLog(ctx, c, containerID, false, lines)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	var out []string
	for {
		l, err := ws.next()
		if err != nil {
			break
		}
		out = append(out, l.Text)
	}
	if len(out) > lines {
		out = out[len(out)-lines:]
	}
	return out, nil
}

// containerName is how a log line is prefixed: the container name without the stack prefix.
func containerName(ctr *resources.Container, stack string) string {
	n := strings.TrimPrefix(ctr.Name, stack+"-")
	return strings.TrimPrefix(n, stack+"_")
}

// wsReader reads the frames of a websocket a server sends (RFC 6455): just enough of the protocol to
// follow a log stream, so no websocket library is needed.
type wsReader struct {
	conn    net.Conn
	r       *bufio.Reader
	pending []string
}

func dialWebsocket(ctx context.Context, u *url.URL) (*wsReader, error) {
	host := u.Host
	secure := u.Scheme == "wss" || u.Scheme == "https"
	if u.Port() == "" {
		host += map[bool]string{true: ":443", false: ":80"}[secure]
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, fmt.Errorf("connecting to the log stream: %w", err)
	}
	if secure {
		tc := tls.Client(conn, &tls.Config{ServerName: u.Hostname()})
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("connecting to the log stream: %w", err)
		}
		conn = tc
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	ws, err := handshake(conn, u)
	if err != nil {
		stop()
		conn.Close()
		return nil, err
	}
	return ws, nil
}

func handshake(conn net.Conn, u *url.URL) (*wsReader, error) {
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	path := u.RequestURI()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, u.Host, base64.StdEncoding.EncodeToString(key))
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return nil, fmt.Errorf("opening the log stream: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return nil, fmt.Errorf("opening the log stream: %s", resp.Status)
	}
	return &wsReader{conn: conn, r: r}, nil
}

// Close ends the stream.
func (w *wsReader) Close() error { return w.conn.Close() }

// next returns the next log line; io.EOF when the server closed the stream.
func (w *wsReader) next() (logLine, error) {
	for len(w.pending) == 0 {
		payload, err := w.frame()
		if err != nil {
			return logLine{}, err
		}
		w.pending = append(w.pending, decodeLogFrame(payload)...)
	}
	l := w.pending[0]
	w.pending = w.pending[1:]
	return logLine{Text: l[1:], Stderr: l[0] == '2'}, nil
}

// decodeLogFrame splits a frame as the original did: frames of 3 bytes or fewer are skipped, the first two
// bytes say the stream ("01" stdout), and a 3-byte prefix is stripped. Each returned entry is the stream
// digit followed by one line.
func decodeLogFrame(p []byte) []string {
	if len(p) <= 3 {
		return nil
	}
	stream := byte('2')
	if string(p[:2]) == "01" {
		stream = '1'
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(string(p[3:]), "\n"), "\n") {
		out = append(out, string(stream)+strings.TrimRight(line, "\r"))
	}
	return out
}

// frame reads one data frame's payload; control frames are skipped, a close frame is io.EOF.
func (w *wsReader) frame() ([]byte, error) {
	for {
		var hdr [2]byte
		if _, err := io.ReadFull(w.r, hdr[:]); err != nil {
			return nil, eof(err)
		}
		n := int64(hdr[1] & 0x7f)
		switch n {
		case 126:
			var ext [2]byte
			if _, err := io.ReadFull(w.r, ext[:]); err != nil {
				return nil, eof(err)
			}
			n = int64(binary.BigEndian.Uint16(ext[:]))
		case 127:
			var ext [8]byte
			if _, err := io.ReadFull(w.r, ext[:]); err != nil {
				return nil, eof(err)
			}
			n = int64(binary.BigEndian.Uint64(ext[:]))
		}
		var mask [4]byte
		masked := hdr[1]&0x80 != 0
		if masked {
			if _, err := io.ReadFull(w.r, mask[:]); err != nil {
				return nil, eof(err)
			}
		}
		if n > 16<<20 {
			return nil, fmt.Errorf("log frame of %d bytes is too large", n)
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(w.r, payload); err != nil {
			return nil, eof(err)
		}
		if masked {
			for i := range payload {
				payload[i] ^= mask[i%4]
			}
		}
		switch hdr[0] & 0x0f {
		case 0x8:
			return nil, io.EOF
		case 0x0, 0x1, 0x2:
			return payload, nil
		}
	}
}

func eof(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return io.EOF
	}
	return err
}
