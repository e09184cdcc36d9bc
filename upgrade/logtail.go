package upgrade

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
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
)

// hostAccess is the answer of a container's logs action: a websocket URL and its token.
type hostAccess struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// LogTail returns the last lines of a container's log through the API: the container's logs action
// (follow off), then the websocket it names, read until the server closes it or quiet passes without a frame.
// Frames are prefixed as the original reads them (original-behavior.md §3.10): two bytes of stream id and a
// space, stripped here.
func LogTail(c *rancher.Client, quiet time.Duration) func(ctx context.Context, containerID string, lines int) ([]string, error) {
	return func(ctx context.Context, containerID string, lines int) ([]string, error) {
		ctr, err := c.Containers().Get(ctx, containerID)
		if err != nil {
			return nil, err
		}
		var access hostAccess
		if err := c.Action(ctx, ctr, "logs", map[string]any{"follow": false, "lines": lines}, &access); err != nil {
			return nil, err
		}
		out, err := readLogSocket(ctx, access, quiet)
		if len(out) > lines {
			out = out[len(out)-lines:]
		}
		return out, err
	}
}

func readLogSocket(ctx context.Context, access hostAccess, quiet time.Duration) ([]string, error) {
	u, err := url.Parse(access.URL)
	if err != nil {
		return nil, fmt.Errorf("log socket url: %w", err)
	}
	q := u.Query()
	q.Set("token", access.Token)
	q.Set("follow", "false")
	u.RawQuery = q.Encode()
	conn, br, err := dialWebsocket(ctx, u)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	var lines []string
	for {
		_ = conn.SetReadDeadline(time.Now().Add(quiet))
		opcode, payload, err := readFrame(br)
		if err != nil {
			var ne net.Error
			if err == io.EOF || (errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil) {
				return lines, nil
			}
			return lines, err
		}
		if opcode == 0x8 {
			return lines, nil
		}
		lines = append(lines, frameLines(payload)...)
	}
}

func frameLines(payload []byte) []string {
	if len(payload) <= 3 {
		return nil
	}
	var out []string
	for _, l := range strings.Split(strings.TrimRight(string(payload[3:]), "\n"), "\n") {
		out = append(out, strings.TrimRight(l, "\r"))
	}
	return out
}

func dialWebsocket(ctx context.Context, u *url.URL) (net.Conn, *bufio.Reader, error) {
	secure := u.Scheme == "wss" || u.Scheme == "https"
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[bool]string{true: "443", false: "80"}[secure])
	}
	var conn net.Conn
	var err error
	if secure {
		d := tls.Dialer{Config: &tls.Config{ServerName: u.Hostname()}}
		conn, err = d.DialContext(ctx, "tcp", host)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", host)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("log socket: %w", err)
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		u.RequestURI(), u.Host, base64.StdEncoding.EncodeToString(key))
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, nil, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("log socket handshake: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, nil, fmt.Errorf("log socket handshake: %s", resp.Status)
	}
	return conn, br, nil
}

// readFrame reads one websocket frame (RFC 6455 §5.2); server frames are unmasked, but a mask is honoured.
func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	opcode, masked, n := hdr[0]&0x0f, hdr[1]&0x80 != 0, uint64(hdr[1]&0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > 16<<20 {
		return 0, nil, fmt.Errorf("log frame of %d bytes", n)
	}
	var mask [4]byte
	if masked {
		if _, err := io.ReadFull(r, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return opcode, payload, nil
}
