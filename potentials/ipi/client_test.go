package ipi

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/potentials"
)

// TestClientRun runs a client against a Unix-socket server that sends EXIT at
// once, then against one that sends a message i-PI does not have, and checks the
// log lines and the error.
func TestClientRun(t *testing.T) {
	s := &potentials.Structure{Numbers: []int{8, 1, 1}, Positions: testPos}
	for _, tc := range []struct {
		peer    func(s server)
		log     []string
		wantErr string
	}{
		{func(s server) { s.word("EXIT") }, []string{": 3 atoms (H2O), not periodic\n",
			"served 0 force evaluations until the server sent EXIT: 0.000 ms per step, 0.000 ms of it in the model\n"}, ""},
		{func(s server) { s.word("HELLO") }, []string{": 3 atoms (H2O), not periodic\n"}, "structure water.xyz, after 0 steps)"},
	} {
		path := filepath.Join(t.TempDir(), "ipi")
		l, err := net.Listen("unix", path)
		if err != nil {
			t.Skipf("no Unix sockets: %v", err)
		}
		go func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			tc.peer(server{t, c})
			time.Sleep(50 * time.Millisecond)
			c.Close()
		}()
		var log bytes.Buffer
		c := Client{Network: "unix", Address: path, Timeout: 5 * time.Second, Structure: "water.xyz"}
		st, err := c.Run(context.Background(), &fakeCalc{}, s, &log)
		l.Close()
		if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.HasSuffix(err.Error(), tc.wantErr)) {
			t.Fatalf("error %v, want %q", err, tc.wantErr)
		}
		if !strings.HasPrefix(log.String(), "connected to the i-PI server at unix "+path) {
			t.Fatalf("log %q", log.String())
		}
		for _, want := range tc.log {
			if !strings.Contains(log.String(), want) {
				t.Errorf("log %q lacks %q", log.String(), want)
			}
		}
		if tc.wantErr == "" && st.Exit != "EXIT" {
			t.Errorf("stats %+v", st)
		}
	}
}
