// Package kim makes sciadapt potentials available to every KIM-compliant simulation
// code (LAMMPS, ASE through kimpy, GULP, DL_POLY, …) through the OpenKIM KIM-API
// (https://openkim.org/kim-api). It has two halves:
//
//   - a KIM model driver, written in C over sciadapt's C interface
//     (capi/sciadapt.h), in the directory driver/ beside this package, installed
//     once per machine with "make kim-driver";
//   - Export, behind "sciadapt export kim", which writes a parameterized portable
//     model for one model file (and optionally its add-element adapter): a
//     directory that "kim-api-collections-management install user DIR" builds and
//     installs, after which LAMMPS runs it with "kim init NAME metal" and
//     "kim interactions …".
//
// # What the driver computes
//
// A KIM simulator hands the model a configuration of particles: the ones its
// process owns (contributing) and copies of particles owned by other processes or
// of periodic images (padding), with neighbour lists. The model returns the partial
// energy E = Σ_{i contributing} E_i, the partial forces −∂E/∂R_p on every particle
// p (padding included; the simulator adds them to the particles they copy) and the
// partial virial V = Σ_p ∂E/∂R_p ⊗ R_p. Summed over processes these are the
// energy, forces and virial of the whole system for any domain decomposition.
//
// The potential is a message-passing network: each of its T interaction blocks
// passes features along pairs closer than the cutoff r_c, so E_i depends on the
// atoms up to T·r_c from atom i. The driver therefore declares an influence
// distance of T·r_c and one neighbour list of cutoff r_c, and asks for the lists
// of padding particles too (KIM's modelWillNotRequestNeighborsOfNoncontributing-
// Particles is false when T > 1). Each compute builds the graph of the particles
// within T hops of a contributing one, with the pairs received by those within
// T−1 hops, evaluates the per-atom energies E_i on it, and differentiates the sum
// over contributing particles only (potentials.ComputeLocal). Padding particles
// near the edge of the configuration have truncated neighbourhoods, so their own
// E_i are wrong; they are never summed, and every feature a contributing energy
// reads is computed from a complete neighbourhood.
//
// The per-structure constant E_0 of a model (potentials.Model.Shift, fitted with
// the reference energies) belongs to no atom, so a simulator that sums particle
// energies over processes cannot add it exactly once: KIM energies are the model's
// energy minus E_0. Forces, virials and dynamics do not depend on it. Export
// reports E_0 and writes it into the model's README.
//
// # Units
//
// The model works in Å and eV. The driver accepts the simulator's length and
// energy units and converts with the KIM-API's unit factors (LAMMPS "metal" needs
// no conversion; "real" gets kcal/mol).
//
// # Files of a portable model
//
//	CMakeLists.txt   the KIM-API build description (add_kim_api_model_library)
//	sciadapt.params  format sciadapt-kim 1 / model FILE / adapter FILE / species …
//	sciadapt.model   the model file, copied
//	sciadapt.adapter the add-element adapter, copied (if any)
//	kimspec.edn      OpenKIM metadata: name, driver, species, description
//	README.md        where it came from and how to use it in LAMMPS
//
// The driver checks when the model is created that the model file knows exactly
// the species sciadapt.params declares, and fails with a message naming the files
// otherwise (LAMMPS then stops at "kim init" with that message).
package kim
