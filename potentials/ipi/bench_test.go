package ipi

import (
	"context"
	"net"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// ethanol is an ethanol geometry (Å) near equilibrium: C C O H H H H H H.
var ethanol = []float64{
	1.1879, -0.3829, 0, 0, 0.5526, 0, -1.1867, -0.2472, 0, -1.9237, 0.3850, 0, 2.0985, 0.2306, 0,
	1.1184, -1.0093, 0.8869, 1.1184, -1.0093, -0.8869, -0.0227, 1.1812, 0.8852, -0.0227, 1.1812, -0.8852,
}

// BenchmarkRoundTrip measures one i-PI step (STATUS, POSDATA, STATUS, GETFORCE
// and the reply) of ethanol over a Unix socket, with a Go server: "protocol"
// with an analytic calculator (the cost of the socket exchange alone) and
// "model" with a small SchNet potential (16 features, 2 interactions).
func BenchmarkRoundTrip(b *testing.B) {
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 8}, Cutoff: 4.5, Features: 16, RBF: 12, Interactions: 2, Seed: 11})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		calc potentials.Calculator
	}{{"protocol", &fakeCalc{}}, {"model", m}} {
		b.Run(bc.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "ipi.sock")
			l, err := net.Listen("unix", path)
			if err != nil {
				b.Skipf("no Unix sockets: %v", err)
			}
			defer l.Close()
			done := make(chan error, 1)
			go func() {
				conn, err := Dial(context.Background(), "unix", path, -1)
				if err != nil {
					done <- err
					return
				}
				defer conn.Close()
				// fakeCalc keeps every structure; a fresh one per run bounds that.
				calc := bc.calc
				if _, ok := calc.(*fakeCalc); ok {
					calc = &fakeCalc{}
				}
				_, err = Serve(context.Background(), conn, calc, []int{6, 6, 8, 1, 1, 1, 1, 1, 1}, [3]bool{}, nil)
				done <- err
			}()
			c, err := l.Accept()
			if err != nil {
				b.Fatal(err)
			}
			srv := server{&testing.T{}, c}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				srv.word("STATUS")
				srv.read(12)
				srv.posdata([9]float64{}, ethanol)
				srv.word("STATUS")
				srv.read(12)
				srv.word("GETFORCE")
				srv.read(12 + 8 + 4 + 8*27 + 72 + 4 + 1)
			}
			b.StopTimer()
			srv.word("EXIT")
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			c.Close()
		})
	}
}
