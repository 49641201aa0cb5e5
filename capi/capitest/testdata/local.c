/*
 * local.c: the domain functions of the C interface (used by capitest).
 *
 *   local POTENTIAL.model ADAPTER
 *
 * Prints the model's description (sciadapt_potential_info), then computes
 * methanol as a domain of six contributing particles with full neighbour lists
 * (sciadapt_potential_compute_local), an empty domain, and error cases. Output
 * lines are "label: numbers" or "error label: code message", as example/main.c.
 */
#include <stdio.h>

#include "sciadapt.h"

#define N 6
static const int numbers[N] = {6, 8, 1, 1, 1, 1};
static const double positions[3 * N] = {-0.047, 0.665, 0,      -0.047, -0.763, 0,     -1.092, 0.977, 0,
                                        0.444,  1.071, 0.890,  0.444,  1.071,  -0.890, 0.870,  -1.063, 0};
static const int contributing[N] = {1, 1, 1, 1, 1, 1};
static int start[N + 1], neighbors[N * (N - 1)];

static void print(const char *label, const double *x, int n) {
    int i;
    printf("%s:", label);
    for (i = 0; i < n; i++) printf(" %.17g", x[i]);
    printf("\n");
}

static void error(const char *label, int code) { printf("error %s: %d %s\n", label, code, sciadapt_last_error()); }

int main(int argc, char **argv) {
    int h, code, i, j, k = 0, nspecies, species[8];
    double cutoff, reach, energy, pe[N], forces[3 * N], virial[6], pvirial[6 * N], info[10];
    int bad[N * (N - 1)];
    if (argc != 3) {
        fprintf(stderr, "usage: local POTENTIAL.model ADAPTER\n");
        return 2;
    }
    if ((code = sciadapt_potential_open(argv[1], argv[2], &h)) != SCIADAPT_OK) {
        fprintf(stderr, "open: %d %s\n", code, sciadapt_last_error());
        return 1;
    }
    if ((code = sciadapt_potential_info(h, &cutoff, &reach, &nspecies, species, 8)) != SCIADAPT_OK) {
        error("info", code);
        return 1;
    }
    info[0] = cutoff;
    info[1] = reach;
    info[2] = nspecies;
    for (i = 0; i < nspecies && i < 7; i++) info[3 + i] = species[i];
    print("info", info, 3 + nspecies);

    for (i = 0; i < N; i++) {
        start[i] = k;
        for (j = 0; j < N; j++) {
            if (j != i) neighbors[k++] = j;
        }
    }
    start[N] = k;
    code = sciadapt_potential_compute_local(h, N, positions, numbers, contributing, start, neighbors, &energy, pe,
                                            forces, virial, pvirial);
    if (code != SCIADAPT_OK) {
        error("local", code);
        return 1;
    }
    print("local energy", &energy, 1);
    print("local particle energies", pe, N);
    print("local forces", forces, 3 * N);
    print("local virial", virial, 6);
    print("local particle virials", pvirial, 6 * N);

    energy = 1;
    code = sciadapt_potential_compute_local(h, 0, NULL, NULL, NULL, start, NULL, &energy, NULL, NULL, NULL, NULL);
    if (code != SCIADAPT_OK) error("empty", code);
    print("empty energy", &energy, 1);

    for (i = 0; i < k; i++) bad[i] = neighbors[i];
    bad[3] = 99;
    error("neighbor-range", sciadapt_potential_compute_local(h, N, positions, numbers, contributing, start, bad,
                                                             &energy, NULL, NULL, NULL, NULL));
    error("negative-n", sciadapt_potential_compute_local(h, -1, positions, numbers, contributing, start, neighbors,
                                                         &energy, NULL, NULL, NULL, NULL));
    error("null-start", sciadapt_potential_compute_local(h, N, positions, numbers, contributing, NULL, neighbors,
                                                         &energy, NULL, NULL, NULL, NULL));
    error("null-positions", sciadapt_potential_compute_local(h, N, NULL, numbers, contributing, start, neighbors,
                                                             &energy, NULL, NULL, NULL, NULL));
    error("negative-max-species", sciadapt_potential_info(h, NULL, NULL, NULL, species, -1));
    sciadapt_potential_close(h);
    error("info-closed", sciadapt_potential_info(h, &cutoff, NULL, NULL, NULL, 0));
    return 0;
}
