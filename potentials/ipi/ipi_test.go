package ipi

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/potentials"
)

// fakeCalc is an analytic calculator that records the structures it is given:
// E = 1.5 + Σ positions (eV), F = −2·positions (eV/Å), and for periodic
// structures a deliberately non-symmetric stress 0.01·(k+1) eV/Å³, k = 0..8, so
// that a transposed virial shows.
type fakeCalc struct {
	seen []potentials.Structure
	err  error
}

func (f *fakeCalc) Compute(s *potentials.Structure) (potentials.Result, error) {
	if f.err != nil {
		return potentials.Result{}, f.err
	}
	cp := *s
	cp.Positions = append([]float64(nil), s.Positions...)
	if s.Cell != nil {
		c := *s.Cell
		cp.Cell = &c
	}
	f.seen = append(f.seen, cp)
	r := potentials.Result{Energy: 1.5, Forces: make([]float64, len(s.Positions))}
	for i, x := range s.Positions {
		r.Energy += x
		r.Forces[i] = -2 * x
	}
	if s.Cell != nil {
		var st [9]float64
		for k := range st {
			st[k] = 0.01 * float64(k+1)
		}
		r.Stress = &st
	}
	return r, nil
}

// server is the fake i-PI server's end of a connection.
type server struct {
	t    *testing.T
	conn net.Conn
}

func (s server) word(w string) {
	s.write([]byte((w + "            ")[:12]))
}

func (s server) write(b []byte) {
	s.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	s.conn.Write(b) // errors show as the client's or in the replies read
}

func (s server) int32(v int32) {
	s.write(binary.NativeEndian.AppendUint32(nil, uint32(v)))
}

func (s server) floats(v []float64) {
	var b []byte
	for _, x := range v {
		b = binary.NativeEndian.AppendUint64(b, math.Float64bits(x))
	}
	s.write(b)
}

func (s server) read(n int) []byte {
	b := make([]byte, n)
	s.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(s.conn, b); err != nil {
		s.t.Fatalf("fake server: reading %d bytes: %v", n, err)
	}
	return b
}

func (s server) expect(w string) {
	if got := strings.TrimRight(string(s.read(12)), " "); got != w {
		s.t.Fatalf("client answered %q, want %q", got, w)
	}
}

func (s server) readFloats(n int) []float64 {
	b := s.read(8 * n)
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.NativeEndian.Uint64(b[8*i:]))
	}
	return v
}

func (s server) readInt32() int32 { return int32(binary.NativeEndian.Uint32(s.read(4))) }

// posdata sends POSDATA with the cell given as rows of lattice vectors (Å), put
// in i-PI's layout the way ASE does (cell.T / Bohr), and positions in Å.
func (s server) posdata(cell [9]float64, pos []float64) {
	s.word("POSDATA")
	var h, ih [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			h[3*i+j] = cell[3*j+i] / Bohr
		}
	}
	s.floats(h[:])
	s.floats(ih[:]) // unused by the client
	s.int32(int32(len(pos) / 3))
	b := make([]float64, len(pos))
	for i, x := range pos {
		b[i] = x / Bohr
	}
	s.floats(b)
}

// start runs Serve on one end of a pipe and returns the other end and a channel
// with Serve's outcome.
type outcome struct {
	stats Stats
	err   error
}

func start(t *testing.T, calc potentials.Calculator, numbers []int, pbc [3]bool, opts *Options) (server, <-chan outcome) {
	t.Helper()
	a, b := net.Pipe()
	done := make(chan outcome, 1)
	go func() {
		st, err := Serve(context.Background(), a, calc, numbers, pbc, opts)
		a.Close()
		done <- outcome{st, err}
	}()
	t.Cleanup(func() { b.Close() })
	return server{t, b}, done
}

func wait(t *testing.T, done <-chan outcome) outcome {
	t.Helper()
	select {
	case o := <-done:
		return o
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10 s")
	}
	return outcome{}
}

var (
	// A sheared, non-symmetric cell (rows are lattice vectors, Å).
	testCell = [9]float64{3.6, 0, 0, 0.2, 3.5, 0, 0.1, -0.15, 3.7}
	testPos  = []float64{0.1, 0.2, 0.3, 1.9, 1.7, 0.05, 0.4, 1.8, 1.75}
)

// TestProtocol runs the full exchange (STATUS, INIT, POSDATA, GETFORCE, twice,
// then EXIT) for a periodic structure and checks every unit conversion and the
// transposed layouts against ASE's reading of a reply (socketio.py: virial =
// recv((3,3)).T · Ha).
func TestProtocol(t *testing.T) {
	calc := &fakeCalc{}
	numbers := []int{29, 47, 79}
	srv, done := start(t, calc, numbers, [3]bool{true, true, true}, nil)
	srv.word("STATUS")
	srv.expect("NEEDINIT")
	srv.word("INIT")
	srv.int32(0)
	srv.int32(3)
	srv.write([]byte("abc"))
	srv.word("STATUS")
	srv.expect("READY")
	for step := 0; step < 2; step++ {
		pos := append([]float64(nil), testPos...)
		pos[0] += 0.1 * float64(step)
		srv.posdata(testCell, pos)
		srv.word("STATUS")
		srv.expect("HAVEDATA")
		srv.word("GETFORCE")
		srv.expect("FORCEREADY")
		e := srv.readFloats(1)[0] * Hartree
		if n := srv.readInt32(); n != 3 {
			t.Fatalf("reply has %d atoms, want 3", n)
		}
		f := srv.readFloats(9)
		w := srv.readFloats(9)
		if n := srv.readInt32(); n != 1 {
			t.Fatalf("extra string of %d bytes, want 1", n)
		}
		if x := srv.read(1); x[0] != ' ' {
			t.Fatalf("extra string %q, want a space", x)
		}
		srv.word("STATUS")
		srv.expect("READY")

		got := calc.seen[step]
		for k := range testCell {
			if !near(got.Cell[k], testCell[k], 1e-15) {
				t.Errorf("step %d: calculator got cell %v, want %v", step, *got.Cell, testCell)
				break
			}
		}
		if got.PBC != [3]bool{true, true, true} {
			t.Errorf("step %d: calculator got cell %v pbc %v, want %v", step, *got.Cell, got.PBC, testCell)
		}
		want, _ := (&fakeCalc{}).Compute(&potentials.Structure{Numbers: numbers, Positions: pos, Cell: &testCell, PBC: got.PBC})
		if !near(e, want.Energy, 1e-14) {
			t.Errorf("step %d: energy %v eV, want %v", step, e, want.Energy)
		}
		for k := range pos {
			if !near(got.Positions[k], pos[k], 1e-14) || !near(f[k]*Hartree/Bohr, want.Forces[k], 1e-14) {
				t.Errorf("step %d: value %d: position %v force %v, want %v %v", step, k, got.Positions[k], f[k]*Hartree/Bohr, pos[k], want.Forces[k])
			}
		}
		V := potentials.Volume(&testCell)
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				ase := w[3*j+i] * Hartree // ASE: virial = recv((3,3)).T
				if !near(ase, -V*want.Stress[3*i+j], 1e-14) {
					t.Errorf("step %d: virial[%d][%d] = %v eV, want −V·σ = %v", step, i, j, ase, -V*want.Stress[3*i+j])
				}
			}
		}
	}
	srv.word("EXIT")
	o := wait(t, done)
	if o.err != nil || o.stats.Steps != 2 || o.stats.Exit != "EXIT" {
		t.Errorf("Serve returned %+v, %v; want 2 steps, EXIT, no error", o.stats, o.err)
	}
}

// TestMolecule checks that a structure without periodic axes ignores the cell
// (ASE sends zeros), gets no cell, and answers a zero virial; and that POSDATA
// without INIT is served, as ASE's client allows, and a NUL-padded header read.
func TestMolecule(t *testing.T) {
	calc := &fakeCalc{}
	srv, done := start(t, calc, []int{8, 1, 1}, [3]bool{}, nil)
	srv.posdata([9]float64{}, testPos)
	srv.write([]byte("GETFORCE\x00\x00\x00\x00")) // NUL padding is accepted too
	srv.expect("FORCEREADY")
	srv.readFloats(1)
	srv.readInt32()
	srv.readFloats(9)
	for k, v := range srv.readFloats(9) {
		if v != 0 {
			t.Errorf("virial value %d is %v, want 0 for a molecule", k, v)
		}
	}
	srv.read(4 + 1)  // extra string
	srv.conn.Close() // as ASE's server does, without EXIT
	o := wait(t, done)
	if o.err != nil || o.stats.Exit != "closed" || o.stats.Steps != 1 {
		t.Errorf("Serve returned %+v, %v; want 1 step, closed, no error", o.stats, o.err)
	}
	if len(calc.seen) != 1 || calc.seen[0].Cell != nil {
		t.Errorf("calculator saw %d structures, first with cell %v; want 1 without cell", len(calc.seen), calc.seen[0].Cell)
	}
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Abs(b))
}

// TestBadPeers checks that each misbehaving server ends Serve promptly with an
// error naming the problem.
func TestBadPeers(t *testing.T) {
	nan := append([]float64(nil), testPos...)
	nan[4] = math.NaN()
	for _, tc := range []struct {
		name string
		pbc  bool
		calc error
		peer func(s server)
		want string
	}{
		{"dropped in positions", false, nil, func(s server) {
			s.word("POSDATA")
			s.floats(make([]float64, 18))
			s.int32(3)
			s.floats([]float64{1, 2, 3, 4})
			s.conn.Close()
		}, "closed the connection in the middle of the positions (got 32 of 72 bytes)"},
		{"dropped in header", false, nil, func(s server) {
			s.write([]byte("STAT"))
			s.conn.Close()
		}, "in the middle of the message header (got 4 of 12 bytes)"},
		{"malformed header", false, nil, func(s server) {
			s.write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0})
		}, "malformed message header"},
		{"lower case", false, nil, func(s server) { s.word("status") }, "malformed message header \"status      \""},
		{"blank header", false, nil, func(s server) { s.word("") }, "(blank)"},
		{"unknown message", false, nil, func(s server) { s.word("HELLO") }, `"HELLO", which is not an i-PI message`},
		{"wrong atom count", false, nil, func(s server) {
			s.posdata(testCell, append(testPos, 1, 2, 3))
		}, "POSDATA has 4 atoms but the structure has 3"},
		{"negative atom count", false, nil, func(s server) {
			s.word("POSDATA")
			s.floats(make([]float64, 18))
			s.int32(-1)
		}, "POSDATA has -1 atoms"},
		{"NaN position", false, nil, func(s server) { s.posdata(testCell, nan) }, "positions: value 4 is NaN"},
		{"zero cell", true, nil, func(s server) { s.posdata([9]float64{}, testPos) }, "has zero volume but the structure is periodic"},
		{"GETFORCE first", false, nil, func(s server) { s.word("GETFORCE") }, "GETFORCE before any POSDATA"},
		{"POSDATA twice", false, nil, func(s server) {
			s.posdata(testCell, testPos)
			s.posdata(testCell, testPos)
		}, "POSDATA while a result was waiting"},
		{"huge INIT", false, nil, func(s server) {
			s.word("INIT")
			s.int32(0)
			s.int32(1 << 30)
		}, "INIT string of 1073741824 bytes"},
		{"calculator error", false, errors.New("atoms 0 and 1 overlap"), func(s server) { s.posdata(testCell, testPos) }, "step 1: atoms 0 and 1 overlap"},
		{"silent server", false, nil, func(s server) {}, "the server sent no message header for 200ms (timeout)"},
		{"server stops reading", false, nil, func(s server) { s.word("STATUS") }, "the server took no STATUS reply for 200ms (timeout)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pbc := [3]bool{tc.pbc, tc.pbc, tc.pbc}
			srv, done := start(t, &fakeCalc{err: tc.calc}, []int{8, 1, 1}, pbc, &Options{Timeout: 200 * time.Millisecond})
			t0 := time.Now()
			go tc.peer(srv)
			o := wait(t, done)
			if o.err == nil || !strings.Contains(o.err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", o.err, tc.want)
			}
			if d := time.Since(t0); d > 3*time.Second {
				t.Errorf("Serve took %v to give up", d)
			}
		})
	}
}

// TestCancel checks that cancelling the context ends a Serve waiting for the
// server, even with no timeout.
func TestCancel(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Serve(ctx, a, &fakeCalc{}, []int{1}, [3]bool{}, &Options{Timeout: -1})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve ignored the cancelled context")
	}
}

// TestDial checks that Dial waits for a server that starts late, over TCP, and
// gives up with a message naming the address.
func TestDial(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no TCP on loopback: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	go func() {
		time.Sleep(300 * time.Millisecond)
		l2, err := net.Listen("tcp", addr)
		if err != nil {
			return
		}
		defer l2.Close()
		c, err := l2.Accept()
		if err == nil {
			c.Close()
		}
	}()
	conn, err := Dial(context.Background(), "tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("Dial of a late server: %v", err)
	}
	conn.Close()
	_, err = Dial(context.Background(), "unix", UnixSocketPath(t.TempDir()+"/none"), 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no server at unix") {
		t.Errorf("Dial of no server: %v", err)
	}
	if p := UnixSocketPath("md"); p != "/tmp/ipi_md" {
		t.Errorf("UnixSocketPath(md) = %q", p)
	}
}
