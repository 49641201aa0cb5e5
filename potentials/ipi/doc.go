// Package ipi drives a potentials.Calculator from an i-PI server: it is the force
// client of the i-PI socket protocol, the one that i-PI (https://ipi-code.org) and
// ASE's SocketIOCalculator speak to the codes that compute forces.
//
// # Roles
//
// The server owns the dynamics (i-PI's integrators and path-integral beads, or any
// ASE dynamics or optimiser running on a SocketIOCalculator). It listens on a Unix
// socket (/tmp/ipi_NAME) or a TCP port; the client connects, then answers the
// server's messages until the server sends EXIT or closes the connection. Serve
// is that answering loop for one connection.
//
// # Messages
//
// Every message starts with a 12-byte header: an ASCII word padded with spaces
// (trailing NUL bytes are accepted as padding too).
// Numbers follow in the machine's byte order (little-endian on x86 and arm64),
// int32 for counts and float64 for everything else. Server → client:
//
//	STATUS    the client answers with a header only:
//	            NEEDINIT  before the first INIT,
//	            READY     when it can take positions,
//	            HAVEDATA  when a result is waiting for GETFORCE.
//	INIT      int32 bead index, int32 n, n bytes of initialisation string.
//	POSDATA   cell h (9 float64, bohr), inverse cell (9 float64, 1/bohr),
//	          int32 natoms, positions (natoms×3 float64, bohr).
//	GETFORCE  the client answers FORCEREADY, then energy (float64, hartree),
//	          int32 natoms, forces (natoms×3 float64, hartree/bohr),
//	          virial (9 float64, hartree), int32 n and n bytes of extra string.
//	EXIT      the client stops.
//
// The client starts in NEEDINIT, as i-PI's reference driver does; a server that
// sends POSDATA without INIT (ASE's client does not insist) is served too. The
// initialisation string is read and ignored, and the extra string of every reply
// is a single space (n = 1), as i-PI's reference driver sends when it has nothing
// to add.
//
// # Units and layouts
//
// On the wire lengths are in bohr and energies in hartree. Serve converts with
// Bohr and Hartree, the values of ase.units (CODATA 2014 as ASE computes them), so
// that a round trip through an ASE server returns exactly what the calculator
// computed; they differ from CODATA 2018 by 4×10⁻¹⁰ (bohr) and 8×10⁻⁹ (hartree)
// relative. Inside, everything is eV and Å as in package potentials.
//
// The 3×3 matrices travel in i-PI's layout: i-PI stores the cell h with the
// lattice vectors as columns and sends it row by row. With C the cell of package
// potentials (lattice vectors as rows, Å), the nine numbers received are
//
//	h[3i+j] = C[j][i] / Bohr,   so   C[r][c] = h[3c+r] · Bohr,
//
// and the virial W (eV) is sent the same way, W[j][i] / Hartree at position 3i+j.
// The inverse cell is not used. The virial is i-PI's
//
//	W = −V · σ,
//
// V the cell volume (Å³) and σ the stress of potentials.Result ((1/V)·∂E/∂ε,
// positive when tensile), which is what ASE's socket client sends and from which
// SocketIOCalculator recovers σ = −W/V. For a structure that is not periodic the
// cell sent by the server is ignored (i-PI always sends one, a large box for a
// molecule; ASE sends zeros) and the virial is zero, which i-PI takes as a code
// that cannot compute stress and refuses for constant-pressure runs.
//
// # Atoms
//
// i-PI sends positions but not which element each atom is, so the client is told
// the atomic numbers, in the server's atom order, and which axes are periodic,
// before it connects; the sciadapt command reads both from an extended XYZ file,
// the same file the server starts from, as ASE's socket clients do. Every POSDATA
// must carry that many atoms.
//
// # Failure
//
// Serve never waits forever: each read and write must finish within
// Options.Timeout (one minute by default). It returns an error naming the message
// and the problem for a connection that drops in the middle of a message, a
// header that is not an i-PI word, a message that i-PI does not define or that
// comes out of order (GETFORCE before POSDATA), a wrong atom count, non-finite
// numbers, a degenerate cell, or a calculator error. EXIT, or the server closing
// the connection between messages (ASE's server closes without EXIT), end Serve
// without error.
package ipi
