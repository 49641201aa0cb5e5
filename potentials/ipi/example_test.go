package ipi_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net"
	"strings"

	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/ipi"
)

// spring is a calculator for two atoms joined by a harmonic spring of rest
// length 1 Å and stiffness 2 eV/Å²: E = (r − 1)², F₀ = 2(r − 1)·r̂ toward atom 1.
type spring struct{}

func (spring) Compute(s *potentials.Structure) (potentials.Result, error) {
	p := s.Positions
	d := [3]float64{p[3] - p[0], p[4] - p[1], p[5] - p[2]}
	r := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
	res := potentials.Result{Energy: (r - 1) * (r - 1), Forces: make([]float64, 6)}
	for k := 0; k < 3; k++ {
		f := 2 * (r - 1) * d[k] / r
		res.Forces[k], res.Forces[3+k] = f, -f
	}
	return res, nil
}

// Example plays the server's part of one step by hand over an in-memory
// connection (a real server is i-PI or ASE's SocketIOCalculator): it sends the
// positions of a stretched H₂ in bohr and reads back the energy in hartree.
func Example() {
	server, client := net.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := ipi.Serve(context.Background(), client, spring{}, []int{1, 1}, [3]bool{}, nil)
		client.Close()
		done <- err
	}()

	put := func(v any) { binary.Write(server, binary.NativeEndian, v) }
	header := func(w string) { fmt.Fprintf(server, "%-12s", w) }
	header("POSDATA")
	put(make([]float64, 18)) // cell and inverse cell: unused for a molecule
	put(int32(2))
	put([]float64{0, 0, 0, 0, 0, 1.5 / ipi.Bohr}) // atoms 1.5 Å apart
	header("GETFORCE")

	reply := make([]byte, 12)
	io.ReadFull(server, reply)
	var energy float64
	var n int32
	binary.Read(server, binary.NativeEndian, &energy)
	binary.Read(server, binary.NativeEndian, &n)
	forces := make([]float64, 3*n)
	virial := make([]float64, 9)
	var extra int32
	binary.Read(server, binary.NativeEndian, forces)
	binary.Read(server, binary.NativeEndian, virial)
	binary.Read(server, binary.NativeEndian, &extra)
	io.ReadFull(server, make([]byte, extra))
	header("EXIT")
	fmt.Printf("%s: E = %.4f eV, F_z(atom 0) = %.4f eV/Å\n", strings.TrimSpace(string(reply)), energy*ipi.Hartree, forces[2]*ipi.Hartree/ipi.Bohr)
	fmt.Println("Serve:", <-done)
	// Output:
	// FORCEREADY: E = 0.2500 eV, F_z(atom 0) = 1.0000 eV/Å
	// Serve: <nil>
}
