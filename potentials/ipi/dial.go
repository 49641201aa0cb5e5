package ipi

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// UnixSocketPath returns the path of the Unix socket that i-PI and ASE create for
// the address name: /tmp/ipi_NAME. A name containing a slash is taken as a path.
func UnixSocketPath(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	return "/tmp/ipi_" + name
}

// Dial connects to an i-PI server at address on network ("unix" or "tcp"),
// trying again every 100 ms while the server is not yet listening, for at most
// wait (a negative wait tries until ctx ends). Servers are usually started first
// but may need a moment to open their socket.
func Dial(ctx context.Context, network, address string, wait time.Duration) (net.Conn, error) {
	if wait >= 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, wait)
		defer cancel()
	}
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, network, address)
		if err == nil {
			return conn, nil
		}
		select {
		case <-ctx.Done():
			if wait < 0 {
				return nil, fmt.Errorf("i-PI: no server at %s %s: %v", network, address, err)
			}
			return nil, fmt.Errorf("i-PI: no server at %s %s after %v: %v", network, address, wait, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
