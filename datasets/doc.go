// Package datasets reads and writes labelled atomic structures — positions,
// energies, forces, cells and stresses — in the sciadapt atoms HDF5 layout, imports
// them from other formats, and shuffles, splits, subsamples and batches them.
//
// # Units and conventions
//
// Every Frame is in eV and Å: positions Å, energy eV (total energy of the frame),
// forces eV/Å, cell Å, stress eV/Å³. Forces are the negative gradient of the
// energy, F = −∂E/∂R. Cells hold the lattice vectors a, b, c as rows:
// Cell = [a_x a_y a_z b_x b_y b_z c_x c_y c_z], and a fractional coordinate s gives
// the position r = s·Cell. Stress is σ = (1/V) ∂E/∂ε, row-major, positive when
// tensile (the ASE convention); pressure is −tr(σ)/3. A virial W converts to
// stress as σ = −W/V.
//
// Conversions use 1 kcal/mol = 0.0433641043 eV (4184 J/mol divided by N_A·e, both
// exact in the 2019 SI), 1 hartree = 27.211386245988 eV and 1 bohr =
// 0.529177210903 Å (CODATA 2018).
//
// # The atoms layout
//
// One HDF5 file, one group per system (a fixed list of atoms, e.g. one molecule or
// one supercell composition):
//
//	/  attributes: format = "sciadapt-atoms", version = 1,
//	               energy_unit = "eV" | "kcal/mol" | "hartree",
//	               length_unit = "angstrom" | "bohr",
//	               forces = "negative gradient of energy",
//	               level_of_theory, source (free text)
//	/<system>/atomic_numbers  int32   (N)
//	/<system>/coordinates     float64 (M, N, 3)
//	/<system>/energies        float64 (M)
//	/<system>/forces          float64 (M, N, 3)   optional, energy_unit/length_unit
//	/<system>/cell            float64 (M, 3, 3)   optional, rows are lattice vectors
//	/<system>/pbc             uint8   (3)         optional, 0 or 1; needs a cell
//	/<system>/stress          float64 (M, 3, 3)   optional, energy_unit/length_unit³, + tensile
//
// Readers convert from the units the root attributes state and refuse a file whose
// units they do not know, naming the file, the attribute and the value. Where the
// length unit is bohr, stress is taken to be in energy_unit/bohr³, consistent with
// forces in energy_unit/bohr. Files written here are always in eV and Å and say so.
// String attributes may be variable-length (as written here and by h5py) or
// fixed-length; integer and floating-point datasets of any native width are read.
//
// # Reading large files
//
// Open reads only attributes, shapes and atomic numbers. Frame, Frames and Rows
// read the requested frames with HDF5 hyperslab selections, so memory holds only
// what was asked for, whatever the size of the file. Summary streams through all
// frames a block at a time.
//
// # Choosing frames
//
// Refs lists every frame; Shuffle, Split, SplitCounts and Subsample choose among
// them with a seed, reproducibly on any machine and Go release (a PCG generator and
// an explicit Fisher–Yates shuffle). Subsample draws per system, so subsets for
// increasing k are nested — what learning curves need. Batches cuts a list of
// frames of any sizes into batches bounded in frames and atoms, and Pack
// concatenates a batch into flat arrays with segment indices.
//
// # Importers
//
// ReadExtXYZ reads extended XYZ as ASE writes it, WriteExtXYZ writes it back;
// ImportANI1x reads the ANI-1x layout group by group; ImportDeePMD reads a
// DeePMD-kit npy system folder (with its own .npy reader). None of these formats
// states its units reliably, so each takes Units (defaults: eV and Å for extxyz and
// DeePMD-kit, hartree and Å for ANI-1x).
//
// # Errors
//
// Bad input never panics. Errors name the file, the group (or line) and the
// problem, e.g.
//
//	data.h5: group "ethanol": forces has shape (10,9,3) but coordinates (10,8,3)
//	data.h5: attribute "energy_unit" is "kJ/mol", which sciadapt does not know (known: eV, kcal/mol, hartree)
//	aspirin.xyz: line 47: atom 3 has 6 columns, want 9 (from Properties)
//
// Functions panic only on programmer errors, documented with "panics if".
package datasets
