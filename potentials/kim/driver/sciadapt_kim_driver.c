/*
 * sciadapt_kim_driver.c — the KIM-API model driver for sciadapt interatomic
 * potentials: a thin layer over the C interface in capi/sciadapt.h.
 *
 * A portable model written by "sciadapt export kim" has these parameter files:
 * sciadapt.params (first), the model file and, optionally, an add-element
 * adapter file. sciadapt.params is text, one setting per line, '#' starting a
 * comment:
 *
 *     format sciadapt-kim 1
 *     model hcn.model
 *     adapter O.adapter
 *     species H C N O
 *
 * "model" and "adapter" name other parameter files of the portable model;
 * "species" lists the elements the model must know, exactly (checked against
 * the model file when the model is created). Species codes are atomic numbers.
 *
 * Physics. The potential is a message-passing network with T interaction blocks
 * and cutoff r_c: an atom's energy depends on the atoms up to T·r_c away. The
 * driver asks for an influence distance of T·r_c and one neighbour list of
 * cutoff r_c, including the lists of padding (non-contributing) particles when
 * T > 1. Each compute hands all particles and lists to
 * sciadapt_potential_compute_local, which sums the energies of the contributing
 * particles only and differentiates that sum with respect to every particle:
 * the energy, forces (padding particles included, which the simulator adds to
 * the particles they copy) and virials are then exact for any domain
 * decomposition. Units: the model works in Å and eV; lengths and energies are
 * converted to whatever units the simulator asks for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "KIM_ModelDriverHeaders.h"
#include "sciadapt.h"

#define MAX_Z 118
#define MAX_PATH 4096
#define MAX_LINE 4096

int sciadapt_kim_driver_create(KIM_ModelDriverCreate *const create, KIM_LengthUnit const requestedLengthUnit,
                               KIM_EnergyUnit const requestedEnergyUnit, KIM_ChargeUnit const requestedChargeUnit,
                               KIM_TemperatureUnit const requestedTemperatureUnit,
                               KIM_TimeUnit const requestedTimeUnit);

/* Element symbols by atomic number (a Go test checks them against package elements). */
static char const *const symbols[MAX_Z + 1] = {
    "",   "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",  "S",
    "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As",
    "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
    "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho",
    "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po",
    "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md",
    "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

/* The model buffer. Lengths are in the simulator's unit. */
struct buffer {
    int handle;                /* sciadapt potential handle */
    double cutoff;             /* r_c */
    double influence_distance; /* T·r_c */
    int padding_lists_unused;  /* KIM's modelWillNotRequestNeighborsOfNoncontributingParticles */
    double length;             /* simulator length units per Å */
    double energy;             /* simulator energy units per eV */
    /* work arrays, grown as needed */
    int *start;
    size_t start_cap;
    int *neighbors;
    size_t neighbors_cap;
    double *positions;
    size_t positions_cap;
};

/* ------------------------------------------------------------------------- */
/* Messages go to the KIM log and, since simulators rarely show that log, to    */
/* stderr too.                                                                */

static void format(char *msg, size_t size, char const *fmt, va_list ap) {
    vsnprintf(msg, size, fmt, ap);
    fprintf(stderr, "sciadapt KIM driver: %s\n", msg);
}

static void create_error(KIM_ModelDriverCreate *const create, char const *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    format(msg, sizeof msg, fmt, ap);
    va_end(ap);
    KIM_ModelDriverCreate_LogEntry(create, KIM_LOG_VERBOSITY_error, msg, __LINE__, __FILE__);
}

static void compute_error(KIM_ModelCompute const *const compute, char const *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    format(msg, sizeof msg, fmt, ap);
    va_end(ap);
    KIM_ModelCompute_LogEntry(compute, KIM_LOG_VERBOSITY_error, msg, __LINE__, __FILE__);
}

/* ------------------------------------------------------------------------- */
/* sciadapt.params                                                           */

struct settings {
    char model[MAX_LINE];
    char adapter[MAX_LINE]; /* "" if none */
    int species[MAX_Z + 1]; /* species[z] = 1 if declared */
    int nspecies;
};

static int symbol_z(char const *sym) {
    int z;
    for (z = 1; z <= MAX_Z; z++) {
        if (strcmp(symbols[z], sym) == 0) return z;
    }
    return 0;
}

/* read_settings parses the file at path; on error it writes a message to err. */
static int read_settings(char const *path, struct settings *s, char *err, size_t errsize) {
    char line[MAX_LINE];
    int lineno = 0, have_format = 0;
    FILE *f = fopen(path, "r");
    memset(s, 0, sizeof *s);
    if (f == NULL) {
        snprintf(err, errsize, "cannot open the parameter file %s", path);
        return 1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *key, *tok, *hash = strchr(line, '#');
        lineno++;
        if (hash != NULL) *hash = '\0';
        key = strtok(line, " \t\r\n");
        if (key == NULL) continue;
        if (strcmp(key, "format") == 0) {
            char *name = strtok(NULL, " \t\r\n"), *version = strtok(NULL, " \t\r\n");
            if (name == NULL || version == NULL || strcmp(name, "sciadapt-kim") != 0 || strcmp(version, "1") != 0) {
                snprintf(err, errsize, "%s, line %d: format %s %s; this driver reads \"format sciadapt-kim 1\"", path,
                         lineno, name ? name : "", version ? version : "");
                fclose(f);
                return 1;
            }
            have_format = 1;
        } else if (strcmp(key, "model") == 0 || strcmp(key, "adapter") == 0) {
            char *dst = key[0] == 'm' ? s->model : s->adapter;
            tok = strtok(NULL, " \t\r\n");
            if (tok == NULL || strtok(NULL, " \t\r\n") != NULL) {
                snprintf(err, errsize, "%s, line %d: \"%s\" takes one file name", path, lineno, key);
                fclose(f);
                return 1;
            }
            snprintf(dst, MAX_LINE, "%s", tok);
        } else if (strcmp(key, "species") == 0) {
            while ((tok = strtok(NULL, " \t\r\n")) != NULL) {
                int z = symbol_z(tok);
                if (z == 0) {
                    snprintf(err, errsize, "%s, line %d: unknown element symbol \"%s\"", path, lineno, tok);
                    fclose(f);
                    return 1;
                }
                if (!s->species[z]) s->nspecies++;
                s->species[z] = 1;
            }
        } else {
            snprintf(err, errsize, "%s, line %d: unknown setting \"%s\" (want format, model, adapter, species)", path,
                     lineno, key);
            fclose(f);
            return 1;
        }
    }
    fclose(f);
    if (!have_format || s->model[0] == '\0' || s->nspecies == 0) {
        snprintf(err, errsize, "%s: needs the lines \"format sciadapt-kim 1\", \"model FILE\" and \"species ...\"",
                 path);
        return 1;
    }
    return 0;
}

/* parameter_path finds the parameter file named base among the model's
 * parameter files and writes its full path. */
static int parameter_path(KIM_ModelDriverCreate *const create, char const *base, char *path) {
    int n, i;
    char const *dir, *name;
    KIM_ModelDriverCreate_GetNumberOfParameterFiles(create, &n);
    KIM_ModelDriverCreate_GetParameterFileDirectoryName(create, &dir);
    for (i = 0; i < n; i++) {
        if (KIM_ModelDriverCreate_GetParameterFileBasename(create, i, &name) == 0 && strcmp(name, base) == 0) {
            snprintf(path, MAX_PATH, "%s/%s", dir, name);
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------------- */
/* Create                                                                    */

/* open_model reads sciadapt.params, opens the model (and adapter) and checks its
 * species; it returns the handle in *handle. */
static int open_model(KIM_ModelDriverCreate *const create, int *handle) {
    char params[MAX_PATH], model[MAX_PATH], adapter[MAX_PATH], err[2048];
    char const *dir, *base;
    struct settings s;
    int nfiles, nspecies, species[MAX_Z + 1], k;
    double cutoff, reach;

    KIM_ModelDriverCreate_GetNumberOfParameterFiles(create, &nfiles);
    if (nfiles < 2) {
        create_error(create, "the model has %d parameter files; want sciadapt.params, the model file and "
                     "optionally an adapter", nfiles);
        return 1;
    }
    KIM_ModelDriverCreate_GetParameterFileDirectoryName(create, &dir);
    if (KIM_ModelDriverCreate_GetParameterFileBasename(create, 0, &base)) {
        create_error(create, "cannot get the name of the first parameter file");
        return 1;
    }
    snprintf(params, sizeof params, "%s/%s", dir, base);
    if (read_settings(params, &s, err, sizeof err)) {
        create_error(create, "%s", err);
        return 1;
    }
    if (parameter_path(create, s.model, model)) {
        create_error(create, "%s names the model file \"%s\", which is missing from the model's parameter files",
                     base, s.model);
        return 1;
    }
    if (s.adapter[0] != '\0' && parameter_path(create, s.adapter, adapter)) {
        create_error(create, "%s names the adapter file \"%s\", which is missing from the model's parameter files",
                     base, s.adapter);
        return 1;
    }
    if (sciadapt_potential_open(model, s.adapter[0] ? adapter : NULL, handle) != SCIADAPT_OK) {
        create_error(create, "%s", sciadapt_last_error());
        return 1;
    }
    if (sciadapt_potential_info(*handle, &cutoff, &reach, &nspecies, species, MAX_Z + 1) != SCIADAPT_OK) {
        create_error(create, "%s", sciadapt_last_error());
        sciadapt_potential_close(*handle);
        return 1;
    }
    for (k = 0; k < nspecies && k <= MAX_Z; k++) {
        if (species[k] < 1 || species[k] > MAX_Z || !s.species[species[k]] || nspecies != s.nspecies) {
            char have[1024] = "", want[1024] = "";
            int z;
            for (z = 0; z < nspecies && z <= MAX_Z; z++) {
                if (species[z] >= 1 && species[z] <= MAX_Z) {
                    strcat(have, " ");
                    strcat(have, symbols[species[z]]);
                }
            }
            for (z = 1; z <= MAX_Z; z++) {
                if (s.species[z]) {
                    strcat(want, " ");
                    strcat(want, symbols[z]);
                }
            }
            create_error(create, "%s declares the species%s, but the model file %s%s%s knows%s", base, want,
                         s.model, s.adapter[0] ? " with adapter " : "", s.adapter, have);
            sciadapt_potential_close(*handle);
            return 1;
        }
    }
    return 0;
}

/* units sets the buffer's conversion factors and the model's units: the
 * simulator's length and energy units (Å and eV if it leaves them unused). */
static int units(KIM_ModelDriverCreate *const create, KIM_LengthUnit length, KIM_EnergyUnit energy,
                 struct buffer *b) {
    KIM_ChargeUnit const noC = KIM_CHARGE_UNIT_unused;
    KIM_TemperatureUnit const noT = KIM_TEMPERATURE_UNIT_unused;
    KIM_TimeUnit const noTime = KIM_TIME_UNIT_unused;
    if (KIM_LengthUnit_Equal(length, KIM_LENGTH_UNIT_unused)) length = KIM_LENGTH_UNIT_A;
    if (KIM_EnergyUnit_Equal(energy, KIM_ENERGY_UNIT_unused)) energy = KIM_ENERGY_UNIT_eV;
    if (KIM_ModelDriverCreate_ConvertUnit(KIM_LENGTH_UNIT_A, KIM_ENERGY_UNIT_eV, noC, noT, noTime, length, energy,
                                          noC, noT, noTime, 1, 0, 0, 0, 0, &b->length) ||
        KIM_ModelDriverCreate_ConvertUnit(KIM_LENGTH_UNIT_A, KIM_ENERGY_UNIT_eV, noC, noT, noTime, length, energy,
                                          noC, noT, noTime, 0, 1, 0, 0, 0, &b->energy)) {
        create_error(create, "cannot convert Å and eV to the simulator's units");
        return 1;
    }
    if (KIM_ModelDriverCreate_SetUnits(create, length, energy, noC, noT, noTime)) {
        create_error(create, "cannot set the model's units");
        return 1;
    }
    return 0;
}

static int compute_routine(KIM_ModelCompute const *const compute, KIM_ModelComputeArguments const *const arguments);
static int arguments_create(KIM_ModelCompute const *const compute, KIM_ModelComputeArgumentsCreate *const create);
static int arguments_destroy(KIM_ModelCompute const *const compute, KIM_ModelComputeArgumentsDestroy *const destroy);
static int destroy_routine(KIM_ModelDestroy *const destroy);

/* The model publishes no parameters, so it has no Refresh routine (the KIM-API
 * refuses one without parameters). */
static int set_routines(KIM_ModelDriverCreate *const create) {
    return KIM_ModelDriverCreate_SetRoutinePointer(create, KIM_MODEL_ROUTINE_NAME_ComputeArgumentsCreate,
                                                   KIM_LANGUAGE_NAME_c, 1, (KIM_Function *)arguments_create) ||
           KIM_ModelDriverCreate_SetRoutinePointer(create, KIM_MODEL_ROUTINE_NAME_Compute, KIM_LANGUAGE_NAME_c, 1,
                                                   (KIM_Function *)compute_routine) ||
           KIM_ModelDriverCreate_SetRoutinePointer(create, KIM_MODEL_ROUTINE_NAME_ComputeArgumentsDestroy,
                                                   KIM_LANGUAGE_NAME_c, 1, (KIM_Function *)arguments_destroy) ||
           KIM_ModelDriverCreate_SetRoutinePointer(create, KIM_MODEL_ROUTINE_NAME_Destroy, KIM_LANGUAGE_NAME_c, 1,
                                                   (KIM_Function *)destroy_routine);
}

int sciadapt_kim_driver_create(KIM_ModelDriverCreate *const create, KIM_LengthUnit const requestedLengthUnit,
                               KIM_EnergyUnit const requestedEnergyUnit, KIM_ChargeUnit const requestedChargeUnit,
                               KIM_TemperatureUnit const requestedTemperatureUnit,
                               KIM_TimeUnit const requestedTimeUnit) {
    struct buffer *b;
    double cutoff, reach;
    int nspecies, species[MAX_Z + 1], k, handle;
    (void)requestedChargeUnit;
    (void)requestedTemperatureUnit;
    (void)requestedTimeUnit;

    b = calloc(1, sizeof *b);
    if (b == NULL) {
        create_error(create, "out of memory");
        return 1;
    }
    if (units(create, requestedLengthUnit, requestedEnergyUnit, b) ||
        KIM_ModelDriverCreate_SetModelNumbering(create, KIM_NUMBERING_zeroBased) || set_routines(create) ||
        open_model(create, &handle)) {
        free(b);
        return 1;
    }
    b->handle = handle;
    if (sciadapt_potential_info(handle, &cutoff, &reach, &nspecies, species, MAX_Z + 1) != SCIADAPT_OK) {
        create_error(create, "%s", sciadapt_last_error());
        sciadapt_potential_close(handle);
        free(b);
        return 1;
    }
    for (k = 0; k < nspecies && k <= MAX_Z; k++) {
        if (KIM_ModelDriverCreate_SetSpeciesCode(create, KIM_SpeciesName_FromString(symbols[species[k]]),
                                                 species[k])) {
            create_error(create, "cannot register species %s", symbols[species[k]]);
            sciadapt_potential_close(handle);
            free(b);
            return 1;
        }
    }
    b->cutoff = cutoff * b->length;
    b->influence_distance = reach * b->length;
    /* With one interaction block only the contributing particles receive messages. */
    b->padding_lists_unused = reach <= cutoff;
    KIM_ModelDriverCreate_SetModelBufferPointer(create, b);
    KIM_ModelDriverCreate_SetInfluenceDistancePointer(create, &b->influence_distance);
    KIM_ModelDriverCreate_SetNeighborListPointers(create, 1, &b->cutoff, &b->padding_lists_unused);
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Compute                                                                   */

/* grow makes *p hold at least n elements of the given size. */
static int grow(void **p, size_t *cap, size_t n, size_t size) {
    void *q;
    if (n <= *cap) return 0;
    n = n < 2 * *cap ? 2 * *cap : n;
    q = realloc(*p, n * size);
    if (q == NULL) return 1;
    *p = q;
    *cap = n;
    return 0;
}

/* gather fills the buffer's neighbour lists (CSR) from KIM's. */
static int gather(KIM_ModelCompute const *const compute, KIM_ModelComputeArguments const *const arguments,
                  struct buffer *b, int n, int const *contributing) {
    int i, total = 0;
    if (grow((void **)&b->start, &b->start_cap, (size_t)n + 1, sizeof(int))) {
        compute_error(compute, "out of memory for %d neighbour offsets", n + 1);
        return 1;
    }
    for (i = 0; i < n; i++) {
        int count = 0;
        int const *list = NULL;
        b->start[i] = total;
        if (b->padding_lists_unused && !contributing[i]) continue;
        if (KIM_ModelComputeArguments_GetNeighborList(arguments, 0, i, &count, &list)) {
            compute_error(compute, "the simulator gave no neighbour list for particle %d", i);
            return 1;
        }
        if (grow((void **)&b->neighbors, &b->neighbors_cap, (size_t)total + count, sizeof(int))) {
            compute_error(compute, "out of memory for %d neighbours", total + count);
            return 1;
        }
        if (count > 0) memcpy(b->neighbors + total, list, (size_t)count * sizeof(int));
        total += count;
    }
    b->start[n] = total;
    return 0;
}

static void scale(double *x, size_t n, double f) {
    size_t i;
    if (x == NULL || f == 1) return;
    for (i = 0; i < n; i++) x[i] *= f;
}

static int compute_routine(KIM_ModelCompute const *const compute, KIM_ModelComputeArguments const *const arguments) {
    struct buffer *b;
    int *n = NULL, *codes = NULL, *contributing = NULL, i;
    double *coords = NULL, *energy = NULL, *forces = NULL, *pe = NULL, *virial = NULL, *pvirial = NULL;
    double const *positions;
    size_t N;

    KIM_ModelCompute_GetModelBufferPointer(compute, (void **)&b);
    if (KIM_ModelComputeArguments_GetArgumentPointerInteger(arguments, KIM_COMPUTE_ARGUMENT_NAME_numberOfParticles,
                                                            &n) ||
        KIM_ModelComputeArguments_GetArgumentPointerInteger(
            arguments, KIM_COMPUTE_ARGUMENT_NAME_particleSpeciesCodes, &codes) ||
        KIM_ModelComputeArguments_GetArgumentPointerInteger(
            arguments, KIM_COMPUTE_ARGUMENT_NAME_particleContributing, &contributing) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(arguments, KIM_COMPUTE_ARGUMENT_NAME_coordinates,
                                                           &coords) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(arguments, KIM_COMPUTE_ARGUMENT_NAME_partialEnergy,
                                                           &energy) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(arguments, KIM_COMPUTE_ARGUMENT_NAME_partialForces,
                                                           &forces) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(
            arguments, KIM_COMPUTE_ARGUMENT_NAME_partialParticleEnergy, &pe) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(arguments, KIM_COMPUTE_ARGUMENT_NAME_partialVirial,
                                                           &virial) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(
            arguments, KIM_COMPUTE_ARGUMENT_NAME_partialParticleVirial, &pvirial)) {
        compute_error(compute, "cannot get the compute arguments");
        return 1;
    }
    N = (size_t)*n;
    if (gather(compute, arguments, b, *n, contributing)) return 1;
    positions = coords;
    if (b->length != 1) {
        if (grow((void **)&b->positions, &b->positions_cap, 3 * N, sizeof(double))) {
            compute_error(compute, "out of memory for %d positions", *n);
            return 1;
        }
        for (i = 0; i < 3 * *n; i++) b->positions[i] = coords[i] / b->length;
        positions = b->positions;
    }
    if (sciadapt_potential_compute_local(b->handle, *n, positions, codes, contributing, b->start, b->neighbors,
                                         energy, pe, forces, virial, pvirial) != SCIADAPT_OK) {
        compute_error(compute, "%s", sciadapt_last_error());
        return 1;
    }
    scale(energy, 1, b->energy);
    scale(pe, N, b->energy);
    scale(forces, 3 * N, b->energy / b->length);
    scale(virial, 6, b->energy);
    scale(pvirial, 6 * N, b->energy);
    return 0;
}

static int arguments_create(KIM_ModelCompute const *const compute, KIM_ModelComputeArgumentsCreate *const create) {
    (void)compute;
    return KIM_ModelComputeArgumentsCreate_SetArgumentSupportStatus(
               create, KIM_COMPUTE_ARGUMENT_NAME_partialEnergy, KIM_SUPPORT_STATUS_optional) ||
           KIM_ModelComputeArgumentsCreate_SetArgumentSupportStatus(
               create, KIM_COMPUTE_ARGUMENT_NAME_partialForces, KIM_SUPPORT_STATUS_optional) ||
           KIM_ModelComputeArgumentsCreate_SetArgumentSupportStatus(
               create, KIM_COMPUTE_ARGUMENT_NAME_partialParticleEnergy, KIM_SUPPORT_STATUS_optional) ||
           KIM_ModelComputeArgumentsCreate_SetArgumentSupportStatus(
               create, KIM_COMPUTE_ARGUMENT_NAME_partialVirial, KIM_SUPPORT_STATUS_optional) ||
           KIM_ModelComputeArgumentsCreate_SetArgumentSupportStatus(
               create, KIM_COMPUTE_ARGUMENT_NAME_partialParticleVirial, KIM_SUPPORT_STATUS_optional);
}

static int arguments_destroy(KIM_ModelCompute const *const compute, KIM_ModelComputeArgumentsDestroy *const destroy) {
    (void)compute;
    (void)destroy;
    return 0;
}

static int destroy_routine(KIM_ModelDestroy *const destroy) {
    struct buffer *b;
    KIM_ModelDestroy_GetModelBufferPointer(destroy, (void **)&b);
    if (b == NULL) return 0;
    sciadapt_potential_close(b->handle);
    free(b->start);
    free(b->neighbors);
    free(b->positions);
    free(b);
    return 0;
}
