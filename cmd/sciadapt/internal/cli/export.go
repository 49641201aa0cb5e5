package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// NewCmdExport returns the "export" command, the parent of one subcommand per
// output format.
func NewCmdExport() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export <format> IN.h5 --out OUT",
		Short: "Write sciadapt data in another program's format",
		Long: `Write the contents of a sciadapt file in a format other programs read.
"export extxyz" writes atoms data as extended XYZ, which ASE, OVITO and most
machine-learning potential codes read; "export kim" writes a potential as a
KIM-API portable model, which LAMMPS and other KIM simulators run.`,
		Example: `  sciadapt export extxyz aspirin.h5 --out aspirin_eV.xyz
  sciadapt export kim --model hcn.model --adapter O.adapter --out kim/hcno`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("name a format: sciadapt export extxyz IN.h5 --out OUT.xyz (see \"sciadapt export --help\")")
		},
	}
	cmd.AddCommand(newCmdExportExtXYZ())
	cmd.AddCommand(newCmdExportKIM())
	return cmd
}

// ExportExtXYZOptions are the inputs of "sciadapt export extxyz".
type ExportExtXYZOptions struct {
	Input   string   // atoms HDF5 file
	Out     string   // extended XYZ file to write
	Systems []string // systems to export; empty for all
	Frames  int      // at most this many frames per system (seeded, nested subsample); 0 for all
	Seed    uint64   // seed of the subsample
	Stdout  io.Writer
}

func newCmdExportExtXYZ() *cobra.Command {
	opts := &ExportExtXYZOptions{}
	cmd := &cobra.Command{
		Use:   "extxyz IN.h5 --out OUT.xyz",
		Short: "Write atoms data as extended XYZ (readable by ASE)",
		Long: `Write an atoms HDF5 file as extended XYZ in the form ASE reads: per frame the
number of atoms, a comment line with Properties=species:S:1:pos:R:3[:forces:R:3],
energy=…, and Lattice=…, pbc=… and stress=… for periodic frames, then one line per
atom. Values are in eV, Å, eV/Å and eV/Å³ (stress positive when tensile), whatever
the units of the input, and are written in the shortest form that reads back to the
same number.

Frames are written system by system (in name order), each system's frames in order.
--system limits the export to some systems; --frames K writes at most K frames per
system, chosen with --seed in the same nested way as training subsets (the frames
for K = 10 are among those for K = 50). The file is read and written a block of
frames at a time, so large files export in little memory.`,
		Example: `  sciadapt export extxyz aspirin.h5 --out aspirin_eV.xyz
  sciadapt export extxyz o_train.h5 --system ethanol --frames 50 --seed 1 --out ethanol_50.xyz`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			opts.Stdout = cmd.OutOrStdout()
			return runExportExtXYZ(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "extended XYZ file to write (required)")
	f.StringSliceVar(&opts.Systems, "system", nil, "export only this system (repeat or separate with commas)")
	f.IntVar(&opts.Frames, "frames", 0, "write at most this many frames per system, chosen with --seed (default: all)")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed of the --frames choice")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// exportBlock is the number of frames read and written at a time.
const exportBlock = 1024

func runExportExtXYZ(opts *ExportExtXYZOptions) error {
	w := opts.Stdout
	if w == nil {
		w = io.Discard
	}
	if opts.Out == "" {
		return usagef("--out is required: the extended XYZ file to write")
	}
	if opts.Frames < 0 {
		return usagef("--frames %d: want a number ≥ 0", opts.Frames)
	}
	if a, _ := filepath.Abs(opts.Input); a != "" {
		if b, _ := filepath.Abs(opts.Out); a == b {
			return usagef("--out %s is the input; write to another file", opts.Out)
		}
	}
	f, err := datasets.Open(opts.Input)
	if err != nil {
		return err
	}
	defer f.Close()

	var refs []datasets.FrameRef
	if len(opts.Systems) == 0 {
		refs = f.Refs()
	} else {
		for _, name := range opts.Systems {
			info, ok := f.System(name)
			if !ok {
				return fmt.Errorf("%s: no system %q (inspect data %s lists them)", opts.Input, name, opts.Input)
			}
			for i := 0; i < info.Frames; i++ {
				refs = append(refs, datasets.FrameRef{System: name, Index: i, Atoms: info.Atoms()})
			}
		}
	}
	if opts.Frames > 0 {
		refs = datasets.Subsample(refs, opts.Frames, opts.Seed)
	}
	systems := map[string]bool{}
	err = atomicfile.Write(opts.Out, func(out io.Writer) error {
		for start := 0; start < len(refs); start += exportBlock {
			block, err := f.Frames(refs[start:min(start+exportBlock, len(refs))])
			if err != nil {
				return err
			}
			for i := range block {
				systems[block[i].System] = true
			}
			if err := datasets.WriteExtXYZ(out, block); err != nil {
				return fmt.Errorf("%s: %v", opts.Out, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: %d frames from %d %s of %s, in eV and Å\n", opts.Out, len(refs), len(systems), atomsPlural(len(systems), "system", "systems"), opts.Input)
	return nil
}
