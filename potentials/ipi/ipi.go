package ipi

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"strings"
	"time"

	"github.com/sciadapt/sciadapt/potentials"
)

// Units of the wire, as ase.units defines them (ASE 3.22: CODATA 2014, evaluated
// by ASE in float64; printed with repr).
const (
	Bohr    = 0.5291772105638411 // one bohr in Å
	Hartree = 27.211386024367243 // one hartree in eV
)

// DefaultTimeout bounds every read and write when Options.Timeout is zero.
const DefaultTimeout = time.Minute

// headerLen is the length of every message header.
const headerLen = 12

// maxInitBytes bounds the initialisation string, so that a damaged INIT cannot
// make the client allocate without limit.
const maxInitBytes = 1 << 20

// Options configure Serve. A nil *Options means the defaults.
type Options struct {
	// Timeout bounds each read and write; zero means DefaultTimeout and a
	// negative value no limit.
	Timeout time.Duration
}

// Stats describe one served connection.
type Stats struct {
	Steps   int           // force evaluations answered (GETFORCE)
	Compute time.Duration // time spent in the calculator
	Wall    time.Duration // time from the start of Serve to its return
	Exit    string        // "EXIT" or "closed" (the server closed the connection)
}

// Serve answers the i-PI server at the other end of conn with energies, forces
// and virials from calc, until the server sends EXIT or closes the connection
// between messages (both return a nil error), ctx is cancelled, or something
// goes wrong. numbers are the atomic numbers of the atoms in the server's order
// and pbc the periodic axes; a structure with a periodic axis takes its cell
// from each POSDATA. Serve does not close conn. See the package documentation
// for the protocol, the units and the errors.
//
// Serve panics if conn or calc is nil.
func Serve(ctx context.Context, conn net.Conn, calc potentials.Calculator, numbers []int, pbc [3]bool, opts *Options) (Stats, error) {
	if conn == nil || calc == nil {
		panic("ipi: Serve with a nil connection or calculator")
	}
	c := &client{conn: conn, in: bufio.NewReaderSize(conn, 1<<16), timeout: DefaultTimeout, numbers: numbers, pbc: pbc, calc: calc}
	if opts != nil && opts.Timeout != 0 {
		c.timeout = opts.Timeout
	}
	start := time.Now()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	err := c.loop()
	c.stats.Wall = time.Since(start)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("i-PI: stopped after %d steps: %w", c.stats.Steps, ctx.Err())
	}
	return c.stats, err
}

// client is the state of one connection.
type client struct {
	conn    net.Conn
	in      *bufio.Reader // conn, buffered: a message is read in few system calls
	timeout time.Duration
	numbers []int
	pbc     [3]bool
	calc    potentials.Calculator

	initialised bool
	have        *potentials.Result // result waiting for GETFORCE
	volume      float64            // Å³, of the structure of have
	stats       Stats
	buf         []byte
}

func (c *client) loop() error {
	for {
		msg, err := c.header()
		if err == errStop {
			return nil
		}
		if err != nil {
			return err
		}
		switch msg {
		case "STATUS":
			reply := "NEEDINIT"
			switch {
			case c.have != nil:
				reply = "HAVEDATA"
			case c.initialised:
				reply = "READY"
			}
			if err := c.send("STATUS reply", pad(reply)); err != nil {
				return err
			}
		case "INIT":
			if err := c.init(); err != nil {
				return err
			}
		case "POSDATA":
			if c.have != nil {
				return errors.New("i-PI: the server sent POSDATA while a result was waiting for GETFORCE")
			}
			if err := c.posdata(); err != nil {
				return err
			}
		case "GETFORCE":
			if c.have == nil {
				return errors.New("i-PI: the server sent GETFORCE before any POSDATA")
			}
			if err := c.sendForce(); err != nil {
				return err
			}
			c.have = nil
			c.stats.Steps++
		case "EXIT":
			c.stats.Exit = "EXIT"
			return nil
		default:
			return fmt.Errorf("i-PI: the server sent %q, which is not an i-PI message (STATUS, INIT, POSDATA, GETFORCE, EXIT)", msg)
		}
	}
}

// header reads one message header; io.EOF before its first byte means the
// server closed the connection, which ends the loop without error.
func (c *client) header() (string, error) {
	b, err := c.read("message header", headerLen, true)
	if err != nil {
		if errors.Is(err, io.EOF) {
			c.stats.Exit = "closed"
			return "", errStop
		}
		return "", err
	}
	word := strings.TrimRight(string(b), " \x00") // spaces, as i-PI pads; NULs from C clients too
	if word == "" {
		return "", fmt.Errorf("i-PI: malformed message header %q (blank)", b)
	}
	for _, r := range word {
		if r < 'A' || r > 'Z' {
			return "", fmt.Errorf("i-PI: malformed message header %q (not an upper-case word padded with spaces to 12 bytes)", b)
		}
	}
	return word, nil
}

// errStop ends the loop cleanly when the server closes between messages.
var errStop = errors.New("stop")

// read reads exactly n bytes within the timeout. what names the part for errors.
// With atBoundary, io.EOF before any byte is returned as io.EOF.
func (c *client) read(what string, n int, atBoundary bool) ([]byte, error) {
	if cap(c.buf) < n {
		c.buf = make([]byte, n)
	}
	b := c.buf[:n]
	// An error here means the connection is closed, which the read then reports.
	_ = c.deadline(c.conn.SetReadDeadline)
	k, err := io.ReadFull(c.in, b)
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, io.EOF) && k == 0 && atBoundary:
		return nil, io.EOF
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("i-PI: the server closed the connection in the middle of the %s (got %d of %d bytes)", what, k, n)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("i-PI: the server sent no %s for %v (timeout)", what, c.timeout)
	}
	return nil, fmt.Errorf("i-PI: reading the %s: %v", what, err)
}

func (c *client) send(what string, b []byte) error {
	// An error here means the connection is closed, which the write then reports.
	_ = c.deadline(c.conn.SetWriteDeadline)
	if _, err := c.conn.Write(b); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("i-PI: the server took no %s for %v (timeout)", what, c.timeout)
		}
		return fmt.Errorf("i-PI: sending the %s: %v", what, err)
	}
	return nil
}

func (c *client) deadline(set func(time.Time) error) error {
	if c.timeout < 0 {
		return set(time.Time{})
	}
	return set(time.Now().Add(c.timeout))
}

func (c *client) int32(what string) (int, error) {
	b, err := c.read(what, 4, false)
	if err != nil {
		return 0, err
	}
	return int(int32(binary.NativeEndian.Uint32(b))), nil
}

// floats reads n float64 values and refuses NaN and ±Inf.
func (c *client) floats(what string, n int) ([]float64, error) {
	b, err := c.read(what, 8*n, false)
	if err != nil {
		return nil, err
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.NativeEndian.Uint64(b[8*i:]))
		if math.IsNaN(v[i]) || math.IsInf(v[i], 0) {
			return nil, fmt.Errorf("i-PI: POSDATA %s: value %d is %v", what, i, v[i])
		}
	}
	return v, nil
}

func (c *client) init() error {
	if _, err := c.int32("INIT bead index"); err != nil {
		return err
	}
	n, err := c.int32("INIT string length")
	if err != nil {
		return err
	}
	if n < 0 || n > maxInitBytes {
		return fmt.Errorf("i-PI: INIT string of %d bytes (allowed 0 to %d)", n, maxInitBytes)
	}
	if n > 0 {
		if _, err := c.read("INIT string", n, false); err != nil {
			return err
		}
	}
	c.initialised = true
	return nil
}

func (c *client) posdata() error {
	h, err := c.floats("cell", 9)
	if err != nil {
		return err
	}
	if _, err := c.read("inverse cell", 72, false); err != nil {
		return err
	}
	n, err := c.int32("atom count")
	if err != nil {
		return err
	}
	if n != len(c.numbers) {
		return fmt.Errorf("i-PI: POSDATA has %d atoms but the structure has %d", n, len(c.numbers))
	}
	pos, err := c.floats("positions", 3*n)
	if err != nil {
		return err
	}
	for i := range pos {
		pos[i] *= Bohr
	}
	s := &potentials.Structure{Numbers: c.numbers, Positions: pos, PBC: c.pbc}
	c.volume = 0
	if c.pbc[0] || c.pbc[1] || c.pbc[2] {
		var cell [9]float64
		for r := 0; r < 3; r++ {
			for col := 0; col < 3; col++ {
				cell[3*r+col] = h[3*col+r] * Bohr
			}
		}
		c.volume = math.Abs(potentials.Volume(&cell))
		if c.volume < 1e-9 {
			return fmt.Errorf("i-PI: POSDATA cell %v Å has zero volume but the structure is periodic %v", cell, c.pbc)
		}
		s.Cell = &cell
	}
	t := time.Now()
	res, err := c.calc.Compute(s)
	c.stats.Compute += time.Since(t)
	if err != nil {
		return fmt.Errorf("i-PI: step %d: %v", c.stats.Steps+1, err)
	}
	if len(res.Forces) != 3*n {
		return fmt.Errorf("i-PI: step %d: the calculator returned %d force values for %d atoms", c.stats.Steps+1, len(res.Forces), n)
	}
	c.have = &res
	return nil
}

// sendForce writes FORCEREADY and the result waiting, in one write.
func (c *client) sendForce() error {
	r := c.have
	n := len(c.numbers)
	b := make([]byte, 0, headerLen+8+4+24*n+72+4+1)
	b = append(b, pad("FORCEREADY")...)
	b = binary.NativeEndian.AppendUint64(b, math.Float64bits(r.Energy/Hartree))
	b = binary.NativeEndian.AppendUint32(b, uint32(int32(n)))
	for _, f := range r.Forces {
		b = binary.NativeEndian.AppendUint64(b, math.Float64bits(f*Bohr/Hartree))
	}
	var w [9]float64 // virial in i-PI's layout, hartree
	if r.Stress != nil && c.volume > 0 {
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				w[3*i+j] = -c.volume * r.Stress[3*j+i] / Hartree
			}
		}
	}
	for _, v := range w {
		b = binary.NativeEndian.AppendUint64(b, math.Float64bits(v))
	}
	// An extra string of one space, as i-PI's reference driver sends when it has
	// nothing to add: some servers mishandle a zero-length read.
	b = binary.NativeEndian.AppendUint32(b, 1)
	b = append(b, ' ')
	return c.send("FORCEREADY reply", b)
}

// pad returns word padded with spaces to a 12-byte header. It panics if word is
// longer than 12 bytes.
func pad(word string) []byte {
	if len(word) > headerLen {
		panic("ipi: header " + word + " longer than 12 bytes")
	}
	b := []byte(word)
	for len(b) < headerLen {
		b = append(b, ' ')
	}
	return b
}
