// Package probe is the health probe run inside containers on Swarm: a rancher-compose health_check (port
// and request_line) becomes an exec-form container health check that runs this probe, bind-mounted
// read-only from the host, so images need no shell, wget or curl (FROM scratch works). The binary that
// carries it must be static (CGO_ENABLED=0): the tool itself built that way (its hidden `healthprobe`
// command), or the test app in fixtures/swarm/app.
//
// Usage: healthprobe http PORT "METHOD PATH [HTTP/VERSION]" | healthprobe tcp PORT
// Exit 0 when healthy (TCP connect; HTTP 2xx or 3xx, as Rancher's HAProxy check), 1 otherwise, with one
// line on stdout saying what was seen (Docker keeps it as the health log).
package probe

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Timeout bounds one probe; Docker's own health-check timeout usually ends it first.
const Timeout = 10 * time.Second

// Main runs the probe with args (after the subcommand name) and returns the exit status.
func Main(args []string, stdout io.Writer) int {
	if err := run(args, stdout); err != nil {
		fmt.Fprintln(stdout, "unhealthy:", err)
		return 1
	}
	return 0
}

func run(args []string, stdout io.Writer) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: healthprobe http PORT \"GET /path HTTP/1.0\" | healthprobe tcp PORT")
	}
	port, err := strconv.Atoi(args[1])
	if err != nil || port <= 0 || port > 65535 {
		return fmt.Errorf("port %q is not a port number", args[1])
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	switch args[0] {
	case "tcp":
		conn, err := net.DialTimeout("tcp", addr, Timeout)
		if err != nil {
			return err
		}
		conn.Close()
		fmt.Fprintln(stdout, "healthy: tcp", addr, "open")
		return nil
	case "http":
		line := "GET / HTTP/1.0"
		if len(args) > 2 && strings.TrimSpace(args[2]) != "" {
			line = args[2]
		}
		status, err := httpCheck(addr, line)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "healthy: %q → %s\n", line, status)
		return nil
	}
	return fmt.Errorf("unknown probe kind %q (http or tcp)", args[0])
}

// httpCheck sends the request line as written (method, path and HTTP version kept, as Rancher's check
// does) and accepts a 2xx or 3xx status.
func httpCheck(addr, line string) (string, error) {
	method, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	path, version, _ := strings.Cut(strings.TrimSpace(rest), " ")
	if path == "" {
		path = "/"
	}
	if version == "" {
		version = "HTTP/1.0"
	}
	conn, err := net.DialTimeout("tcp", addr, Timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(Timeout))
	req := fmt.Sprintf("%s %s %s\r\nHost: 127.0.0.1\r\nUser-Agent: rancher-compose-healthprobe\r\nConnection: close\r\n\r\n", method, path, version)
	if _, err := io.WriteString(conn, req); err != nil {
		return "", err
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil && status == "" {
		return "", fmt.Errorf("%q: no answer: %w", line, err)
	}
	status = strings.TrimSpace(status)
	fields := strings.Fields(status)
	if len(fields) < 2 || (fields[1][0] != '2' && fields[1][0] != '3') {
		return "", fmt.Errorf("%q → %s", line, status)
	}
	return status, nil
}
