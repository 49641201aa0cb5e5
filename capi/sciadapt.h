/*
 * sciadapt.h — C interface to sciadapt's interatomic potentials and
 * constitutive (material-point) models, for simulation codes written in C,
 * C++ or Fortran (through ISO_C_BINDING).
 *
 * Build the library with
 *
 *     go build -buildmode=c-shared -o bin/libsciadapt.so ./capi     (or: make capi)
 *
 * and link with -Lbin -lsciadapt. See capi/README.md and capi/example/main.c.
 *
 * CONVENTIONS
 *
 *   Return values  Every function but sciadapt_last_error returns an int status:
 *                  SCIADAPT_OK (0) or one of the error codes below. On error,
 *                  sciadapt_last_error() gives a message naming the file or the
 *                  argument and the problem, and no output array is written.
 *   Handles        Opening a model gives a positive int handle; pass it to the
 *                  other functions and release it with the matching close. A
 *                  handle is never reused within a process.
 *   Threads        Any thread may call any function. Calls on one handle are
 *                  serialised (a handle holds state: the potential's neighbour
 *                  list); calls on different handles run in parallel, so open one
 *                  handle per thread for parallel work. Error messages are kept
 *                  per thread, like errno.
 *   Memory         The library never keeps a pointer passed to it after the call
 *                  returns; the caller owns all arrays.
 *   Units          Potentials: Å, eV, eV/Å, eV/Å³. Materials: MPa, dimensionless
 *                  strain, kelvin.
 */
#ifndef SCIADAPT_H
#define SCIADAPT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
enum {
    SCIADAPT_OK = 0,
    SCIADAPT_ERR_FILE = 1,     /* a file cannot be read or is not a valid model/adapter */
    SCIADAPT_ERR_HANDLE = 2,   /* unknown or closed handle, or a handle of the other kind */
    SCIADAPT_ERR_ARGUMENT = 3, /* bad argument: NULL pointer, bad size, unknown element,
                                  non-finite number, degenerate cell, ... */
    SCIADAPT_ERR_COMPUTE = 4,  /* the computation failed (e.g. the return mapping did not
                                  converge) */
    SCIADAPT_ERR_INTERNAL = 5  /* a bug in sciadapt, caught at the boundary; please report */
};

/* The message of the last failed call on the calling thread ("" if none). The
 * string is owned by the library and valid until the next failed call on this
 * thread; copy it to keep it. Successful calls leave it unchanged. */
const char *sciadapt_last_error(void);

/* ---------------------------------------------------------------------------
 * Interatomic potentials
 * ------------------------------------------------------------------------- */

/* Opens the potential in model_path (written by "sciadapt train potential") and,
 * unless adapter_path is NULL or "", attaches the add-element adapter in
 * adapter_path (written by "sciadapt add-element"), which must belong to exactly
 * this model. On success *handle is set. */
int sciadapt_potential_open(const char *model_path, const char *adapter_path, int *handle);

/* Computes the energy, forces and stress of one structure of n atoms.
 *
 *   positions  n×3 Cartesian coordinates, row-major (x0 y0 z0 x1 ...), Å
 *   numbers    n atomic numbers (1 = H, 6 = C, ...)
 *   cell       3×3, row-major, rows are the lattice vectors a, b, c in Å, for a
 *              structure periodic along all three; NULL for a free molecule
 *   energy     out: potential energy, eV (NULL if not wanted)
 *   forces     out: n×3 forces −∂E/∂R, row-major, eV/Å (NULL if not wanted)
 *   stress     out: 3×3 stress (1/V)·∂E/∂ε, row-major, eV/Å³, positive = tensile
 *              (ASE's sign; a pressure tensor is its negative); only with a cell,
 *              NULL if not wanted (1 eV/Å³ = 160.21766 GPa)
 *
 * Atoms need not lie inside the cell. Neighbour lists are kept between calls on
 * the same handle and rebuilt when some atom has moved more than 0.5 Å (half the
 * 1 Å skin) or the atoms or the cell changed; results equal a fresh computation
 * to the last bit. */
int sciadapt_potential_compute(int handle, int n, const double *positions, const int *numbers,
                               const double *cell, double *energy, double *forces, double *stress);

/* Releases a potential handle. */
int sciadapt_potential_close(int handle);

/* ---------------------------------------------------------------------------
 * Domains of a larger system (for codes that split space between processes,
 * such as LAMMPS through the KIM API; the KIM model driver in
 * potentials/kim/driver uses these)
 * ------------------------------------------------------------------------- */

/* Describes the potential in handle. Each output may be NULL.
 *
 *   cutoff              out: the cutoff r_c of the pair interactions, Å
 *   influence_distance  out: T·r_c for T interaction blocks (r_c if T = 0), Å:
 *                       an atom's energy depends on the atoms within this
 *                       distance
 *   nspecies            out: the number of elements the model knows (with the
 *                       adapter's element)
 *   species             out: their atomic numbers; the first
 *                       min(nspecies, max_species) are written
 */
int sciadapt_potential_info(int handle, double *cutoff, double *influence_distance, int *nspecies,
                            int *species, int max_species);

/* Computes a domain of n particles: those this process owns (contributing) and
 * copies of particles owned elsewhere or of periodic images (padding), with a
 * neighbour list for each particle. There is no cell.
 *
 *   positions        n×3 Cartesian coordinates, row-major, Å
 *   numbers          n atomic numbers
 *   contributing     n flags: non-zero for owned particles, 0 for padding
 *   neighbor_start   n + 1 offsets: the neighbours of particle i are
 *                    neighbors[neighbor_start[i] .. neighbor_start[i+1] - 1]
 *   neighbors        particle indices (0-based); each list must hold every
 *                    particle closer than the cutoff, and may hold more
 *   energy           out: E = Σ of the contributing particles' energies E_i, eV
 *                    (without the model's per-structure shift E_0, which
 *                    belongs to no atom); NULL if not wanted
 *   particle_energy  out: n values, E_i for contributing particles, 0 for
 *                    padding, eV; NULL if not wanted
 *   forces           out: n×3 forces −∂E/∂R on every particle, padding
 *                    included, eV/Å; the caller adds the forces on padding
 *                    particles to the particles they copy; NULL if not wanted
 *   virial           out: 6 values, Σ_p ∂E/∂R_p ⊗ R_p over all particles in
 *                    Voigt order xx, yy, zz, yz, xz, xy, eV (the KIM API's
 *                    partial virial; for a whole periodic cell V·σ with σ the
 *                    stress of sciadapt_potential_compute); NULL if not wanted
 *   particle_virial  out: n×6 values in the same order, eV: each pair's virial
 *                    r_ij ⊗ ∂E/∂r_ij shared half and half between its ends; they
 *                    sum to the virial; NULL if not wanted
 *
 * The contributing energies are exact when the domain holds every particle
 * within influence_distance of a contributing one and the neighbour lists of
 * padding particles within influence_distance − cutoff of one. n may be 0. */
int sciadapt_potential_compute_local(int handle, int n, const double *positions, const int *numbers,
                                     const int *contributing, const int *neighbor_start,
                                     const int *neighbors, double *energy, double *particle_energy,
                                     double *forces, double *virial, double *particle_virial);

/* ---------------------------------------------------------------------------
 * Constitutive models (material points)
 *
 * Voigt notation as in Abaqus: components in the order 11, 22, 33, 12, 13, 23;
 * strains with ENGINEERING shear, γ12 = 2·ε12, γ13 = 2·ε13, γ23 = 2·ε23; stresses
 * with the tensor shear σ12, σ13, σ23. With ntens = 4 (plane strain,
 * axisymmetric) the components are 11, 22, 33, 12 and ε13 = ε23 = 0.
 * ------------------------------------------------------------------------- */

/* Number of state variables a material point needs (statev length). */
#define SCIADAPT_NSTATV 13

/* Opens the constitutive model in model_path (written by "sciadapt train
 * constitutive") and, unless adapter_path is NULL or "", attaches the
 * temperature adapter in adapter_path (written by "sciadapt temperature-tune"). */
int sciadapt_material_open(const char *model_path, const char *adapter_path, int *handle);

/* Advances one material point by one strain increment, in the argument order of
 * an Abaqus UMAT:
 *
 *   stress   in: ignored (the stress follows from the state variables);
 *            out: σ at the end of the increment, ntens values, MPa
 *   statev   in/out: nstatv ≥ SCIADAPT_NSTATV state variables; all zero for a
 *            virgin point. statev[0..5] elastic strain εᵉ, statev[6..11] plastic
 *            strain εᵖ (Voigt, engineering shear, full 3-D even when ntens = 4),
 *            statev[12] equivalent plastic strain α. Entries beyond 13 are left
 *            untouched.
 *   ddsdde   out: consistent tangent ∂Δσ_i/∂Δε_j, ntens×ntens, MPa, stored
 *            column-major as Fortran's DDSDDE(NTENS,NTENS): ddsdde[i + j*ntens]
 *            (the tangent is symmetric for this model, so row-major readers get
 *            the same numbers)
 *   stran    total strain at the start of the increment (ntens values); accepted
 *            for UMAT compatibility and not used, since statev carries εᵉ and εᵖ;
 *            may be NULL
 *   dstran   strain increment, ntens values
 *   temp     temperature at the start of the increment, K
 *   dtemp    temperature increment, K; the update is made at temp + dtemp
 *   ntens    6 (3-D) or 4 (plane strain, axisymmetric)
 *   nstatv   length of statev
 *
 * The model has no thermal expansion, so a temperature change alone produces no
 * strain. Outputs are written only on success. */
int sciadapt_material_update(int handle, double *stress, double *statev, double *ddsdde,
                             const double *stran, const double *dstran, double temp, double dtemp,
                             int ntens, int nstatv);

/* Releases a material handle. */
int sciadapt_material_close(int handle);

#ifdef __cplusplus
}
#endif

#endif /* SCIADAPT_H */
