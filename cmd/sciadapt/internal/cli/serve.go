package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/ipi"
)

// NewCmdServe returns the "serve" command, the parent of the protocols through
// which simulation codes drive a model.
func NewCmdServe(out io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve <protocol>",
		Short: "Compute forces for a simulation code over a socket",
		Long: `Answer a simulation code that runs the dynamics (or an optimisation) and asks for
energies and forces over a socket. The protocol is the subcommand:

  ipi    the i-PI socket protocol (i-PI, ASE's SocketIOCalculator, and the codes
         that drive i-PI clients)`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(NewCmdServeIPI(out))
	return cmd
}

// ServeIPIOptions are the flags of "serve ipi".
type ServeIPIOptions struct {
	Model, Adapter, Structure string
	Address, Unix             string        // TCP HOST:PORT, or Unix socket name (/tmp/ipi_NAME) or path
	Timeout                   time.Duration // per read/write and for connecting; 0 means none
	Report                    string
	Stdout                    io.Writer
}

// NewCmdServeIPI returns the "serve ipi" command.
func NewCmdServeIPI(out io.Writer) *cobra.Command {
	o := &ServeIPIOptions{Stdout: out}
	cmd := &cobra.Command{
		Use:   "ipi --model M [--adapter A] --structure IN.xyz (--address HOST:PORT | --unix NAME)",
		Short: "Be the force client of an i-PI server (i-PI, ASE's SocketIOCalculator)",
		Long: `Connect to an i-PI server and answer it with energies, forces and virials from a
potential (and optional add-element adapter) until the server sends EXIT or closes
the connection. The server owns the simulation: i-PI's molecular dynamics and path
integrals, or any ASE dynamics or optimiser running on a SocketIOCalculator.

The i-PI protocol sends positions but not elements, so --structure names an
extended XYZ file (eV and Å, the first frame is used) with the atoms in the
server's order; its pbc (or its Lattice) decides whether the system is periodic.
For a periodic system the cell of every step comes from the server; for a
molecule the server's cell is ignored and the virial sent is zero. Lengths travel
in bohr and energies in hartree, converted with ASE's values of both.

--unix NAME connects to /tmp/ipi_NAME, the socket that i-PI (<address>NAME</address>
with mode="unix") and ASE (SocketIOCalculator(unixsocket="NAME")) create; a NAME
with a slash is a path. The server should be started first; the client tries to
connect for up to --timeout. Every read and write must then finish within
--timeout (0: wait forever), so a server that dies silently ends the client with
an error instead of a hang; raise it when the server may be busy for longer
between steps (an i-PI run that also waits on a slow ab initio client).

The ASE side of the first example, a geometry optimisation (start it first):

  from ase.io import read
  from ase.optimize import BFGS
  from ase.calculators.socketio import SocketIOCalculator
  atoms = read("ethanol.xyz")
  with SocketIOCalculator(unixsocket="ethanol") as atoms.calc:
      BFGS(atoms).run(fmax=0.05)`,
		Example: `  sciadapt serve ipi --model hcn.model --adapter O.adapter --structure ethanol.xyz --unix ethanol
  sciadapt serve ipi --model alloy.model --structure cuagau.xyz --address localhost:31415 --timeout 10m --report serve.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServeIPI(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "potential model file")
	f.StringVar(&o.Adapter, "adapter", "", "add-element adapter file")
	f.StringVar(&o.Structure, "structure", "", "extended XYZ file giving the elements in the server's atom order, and pbc")
	f.StringVar(&o.Address, "address", "", "TCP address HOST:PORT of the i-PI server")
	f.StringVar(&o.Unix, "unix", "", "Unix socket NAME of the i-PI server (/tmp/ipi_NAME), or a path")
	f.DurationVar(&o.Timeout, "timeout", time.Minute, "give up when the server is silent this long (0: never)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	for _, n := range []string{"model", "structure"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

func runServeIPI(ctx context.Context, o *ServeIPIOptions) error {
	start := time.Now()
	if (o.Address == "") == (o.Unix == "") {
		return usagef("give exactly one of --address HOST:PORT and --unix NAME")
	}
	if o.Timeout < 0 {
		return usagef("--timeout %v: must not be negative (0 means no limit)", o.Timeout)
	}
	network, address := "unix", ipi.UnixSocketPath(o.Unix)
	if o.Address != "" {
		if _, _, err := net.SplitHostPort(o.Address); err != nil {
			return usagef("--address %q: want HOST:PORT, e.g. localhost:31415", o.Address)
		}
		network, address = "tcp", o.Address
	}
	m, err := potentials.Load(o.Model)
	if err != nil {
		return err
	}
	if o.Adapter != "" {
		if _, err := potentials.LoadElementAdapter(o.Adapter, m); err != nil {
			return err
		}
	}
	fin, err := os.Open(o.Structure)
	if err != nil {
		return err
	}
	frames, err := datasets.ReadExtXYZ(fin, o.Structure, &datasets.ExtXYZOptions{EnergyOptional: true})
	fin.Close()
	if err != nil {
		return err
	}
	if len(frames) == 0 {
		return fmt.Errorf("%s: no structure", o.Structure)
	}
	s := potentials.StructureOf(&frames[0])
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	// One evaluation before connecting: an element the model does not know is
	// reported now, naming the file, not at the server's first step.
	if _, err := m.Compute(s); err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}

	timeout, wait := o.Timeout, o.Timeout
	if o.Timeout == 0 {
		timeout, wait = -1, -1
	}
	conn, err := ipi.Dial(ctx, network, address, wait)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintf(o.Stdout, "connected to the i-PI server at %s %s: %d atoms (%s), %s\n",
		network, address, s.Len(), datasets.Formula(s.Numbers), map[bool]string{true: "periodic", false: "not periodic"}[s.PBC != [3]bool{}])
	st, err := ipi.Serve(ctx, conn, m, s.Numbers, s.PBC, &ipi.Options{Timeout: timeout})
	if err != nil {
		return fmt.Errorf("%v (server %s %s, structure %s, after %d steps)", err, network, address, o.Structure, st.Steps)
	}
	var perStep, inModel float64
	if st.Steps > 0 {
		perStep = 1e3 * st.Wall.Seconds() / float64(st.Steps)
		inModel = 1e3 * st.Compute.Seconds() / float64(st.Steps)
	}
	ended := "sent EXIT"
	if st.Exit == "closed" {
		ended = "closed the connection"
	}
	fmt.Fprintf(o.Stdout, "served %d force evaluations until the server %s: %.3f ms per step, %.3f ms of it in the model\n",
		st.Steps, ended, perStep, inModel)
	r := serveReport{Steps: st.Steps, EndedBy: st.Exit, MsPerStep: perStep, ModelMsPerStep: inModel}
	r.TotalParameters, _ = nn.Counts(m)
	r.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, r)
}

// serveReport is the report of "serve ipi".
type serveReport struct {
	reportHeader
	Steps          int     `json:"steps"`             // force evaluations served
	EndedBy        string  `json:"ended_by"`          // "exit" or "closed"
	MsPerStep      float64 `json:"ms_per_step"`       // wall time per step, ms
	ModelMsPerStep float64 `json:"model_ms_per_step"` // of it in the model, ms
}
