package ipi

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

// Client is an i-PI client of a simulation code's server.
type Client struct {
	Network, Address string        // "unix" or "tcp", and the socket path or HOST:PORT
	Timeout          time.Duration // for connecting, and for each read and write; 0 means no limit
	Structure        string        // the file the atoms came from, named in errors
}

// Run connects to the server (Dial, trying for up to the timeout) and answers
// it with calc for the atoms of s (their elements, in the server's order, and
// periodic axes) until the server sends EXIT or closes the connection (Serve).
// It writes to log a line when connected and one with the steps served and the
// time per step; errors name the server, the structure and the steps served.
func (c Client) Run(ctx context.Context, calc potentials.Calculator, s *potentials.Structure, log io.Writer) (Stats, error) {
	network, address, timeout := c.Network, c.Address, c.Timeout
	if timeout == 0 {
		timeout = -1
	}
	conn, err := Dial(ctx, network, address, timeout)
	if err != nil {
		return Stats{}, err
	}
	defer conn.Close()
	periodic := "not periodic"
	if s.PBC != [3]bool{} {
		periodic = "periodic"
	}
	fmt.Fprintf(log, "connected to the i-PI server at %s %s: %d atoms (%s), %s\n", network, address, s.Len(), datasets.Formula(s.Numbers), periodic)
	st, err := Serve(ctx, conn, calc, s.Numbers, s.PBC, &Options{Timeout: timeout})
	if err != nil {
		return st, fmt.Errorf("%v (server %s %s, structure %s, after %d steps)", err, network, address, c.Structure, st.Steps)
	}
	perStep, inModel := st.MsPerStep()
	ended := "sent EXIT"
	if st.Exit == "closed" {
		ended = "closed the connection"
	}
	fmt.Fprintf(log, "served %d force evaluations until the server %s: %.3f ms per step, %.3f ms of it in the model\n",
		st.Steps, ended, perStep, inModel)
	return st, nil
}
