// Package containerlog reads a container's log through the Rancher API, as the original did
// (original-behavior.md §3.10): the container's logs action names a websocket of Rancher's host API, whose
// frames carry the log. It implements just enough of RFC 6455 to read a server's frames, so no websocket
// library is needed. `logs`, `up` without -d and the failure diagnostics of the engine all read logs here.
package containerlog

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
)

// Line is one line of a container's log; Stderr is set for the host API's "02" stream.
type Line struct {
	Text   string
	Stderr bool
}

// hostAccess is the answer of a container's logs action: a websocket URL and its token.
type hostAccess struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// Stream is an open log stream; Next reads it line by line.
type Stream struct {
	conn    net.Conn
	r       *bufio.Reader
	pending []string
}

// Open asks the API for a container's log stream (the last lines, then new ones with follow) and connects
// to it. The stream is closed when ctx ends.
func Open(ctx context.Context, c *rancher.Client, containerID string, follow bool, lines int) (*Stream, error) {
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
	return dial(ctx, u)
}

// Tail returns the last lines of a container's log, for failure diagnostics: the stream is read until the
// server closes it or breaks off, or, with quiet > 0, until quiet passes without a frame.
func Tail(ctx context.Context, c *rancher.Client, containerID string, lines int, quiet time.Duration) ([]string, error) {
	ws, err := Open(ctx, c, containerID, false, lines)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	var out []string
	for {
		if quiet > 0 {
			_ = ws.conn.SetReadDeadline(time.Now().Add(quiet))
		}
		l, err := ws.Next()
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

func dial(ctx context.Context, u *url.URL) (*Stream, error) {
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

func handshake(conn net.Conn, u *url.URL) (*Stream, error) {
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
	return &Stream{conn: conn, r: r}, nil
}

// Close ends the stream.
func (w *Stream) Close() error { return w.conn.Close() }

// Next returns the next log line; io.EOF when the server closed the stream.
func (w *Stream) Next() (Line, error) {
	for len(w.pending) == 0 {
		payload, err := w.frame()
		if err != nil {
			return Line{}, err
		}
		w.pending = append(w.pending, decodeLogFrame(payload)...)
	}
	l := w.pending[0]
	w.pending = w.pending[1:]
	return Line{Text: l[1:], Stderr: l[0] == '2'}, nil
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
