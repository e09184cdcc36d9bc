package sim

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// logsPath is where container log websockets are served (Rancher's host API path).
const logsPath = "/v1/logs/"

// logsAccess answers the container `logs` action with a hostAccess {url, token}.
func (s *Server) logsAccess(rc *reqCtx, c *resource) map[string]any {
	tok := strings.ReplaceAll(newUUID(), "-", "")
	s.logToks[tok] = c.num
	ws := "ws" + strings.TrimPrefix(rc.base, "http")
	return map[string]any{"type": "hostAccess", "id": nil, "token": tok, "url": ws + logsPath,
		"links": map[string]any{}, "actions": map[string]any{}}
}

// serveLogs upgrades to a websocket and streams fake log lines framed like Rancher's host API:
// each text frame is "01 " (stdout) or "02 " (stderr) followed by the line.
func (s *Server) serveLogs(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	s.lockWrite()
	num, ok := s.logToks[tok]
	var name, image string
	var exitCode *int
	var history []StateChange
	now := s.clk.Now()
	if c := s.st.tbl("instance").byNum[num]; ok && c != nil {
		name, image = c.str("name"), str(c.f["imageUuid"])
		if c.ctr != nil {
			history = append(history, c.ctr.history...)
			if c.ctr.exited {
				code := c.ctr.exitCode
				exitCode = &code
			}
		}
	}
	s.mu.Unlock()
	if !ok || !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	hj, isHJ := w.(http.Hijacker)
	if !isHJ {
		http.Error(w, "websocket unsupported", http.StatusInternalServerError)
		return
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	accept := wsAccept(r.Header.Get("Sec-WebSocket-Key"))
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept)
	if rw.Flush() != nil {
		return
	}
	// Each line carries the simulated time the container wrote it (as Docker's timestamps do), not the time
	// the log is read: a container stuck for minutes must not look freshly started.
	stamp := func(state string, last bool) string { return logTime(history, state, last, now) }
	lines := []string{
		fmt.Sprintf("01 %s simulated container %s (image %s) starting", stamp("starting", false), name, image),
		fmt.Sprintf("01 %s listening", stamp("running", false)),
	}
	if exitCode != nil {
		lines = append(lines, fmt.Sprintf("02 %s exited with code %d", stamp("stopped", true), *exitCode))
	}
	for _, l := range lines {
		if wsWriteText(rw.Writer, l) != nil {
			return
		}
	}
	follow := r.URL.Query().Get("follow") != "false"
	for i := 0; follow && i < 600; i++ {
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(time.Second):
		}
		if wsWriteText(rw.Writer, fmt.Sprintf("01 %s heartbeat %d", s.clk.Now().UTC().Format(time.RFC3339), i+1)) != nil {
			return
		}
	}
	_ = wsWriteFrame(rw.Writer, 0x8, nil)
}

// logTime formats when the container (first, or with last, most recently) entered state; fallback when never.
func logTime(history []StateChange, state string, last bool, fallback time.Time) string {
	at := fallback
	for _, h := range history {
		if h.State == state {
			at = h.At
			if !last {
				break
			}
		}
	}
	return at.UTC().Format(time.RFC3339)
}

func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

func wsWriteText(w *bufio.Writer, text string) error { return wsWriteFrame(w, 0x1, []byte(text+"\n")) }

// wsWriteFrame writes one unmasked server frame (RFC 6455 §5.2).
func wsWriteFrame(w *bufio.Writer, opcode byte, payload []byte) error {
	hdr := []byte{0x80 | opcode}
	n := len(payload)
	switch {
	case n < 126:
		hdr = append(hdr, byte(n))
	case n < 1<<16:
		hdr = append(hdr, 126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	if _, err := w.Write(payload); err != nil {
		return err
	}
	return w.Flush()
}
