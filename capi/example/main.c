/*
 * Example: calling sciadapt from C.
 *
 *   make capi
 *   gcc -std=c11 -Wall -Icapi -o example capi/example/main.c -Lbin -lsciadapt -Wl,-rpath,bin
 *   ./example hcn.model O.adapter al6061.model al6061_200C.adapter
 *
 * (pass "-" for no adapter). It computes the energy, forces and stress of
 * methanol with a potential, drives one material point through a few strain
 * increments as a finite-element code's UMAT would, and shows how errors come
 * back. Numbers are printed with 17 significant digits so that a test can compare
 * them with the Go API.
 */
#include <stdio.h>
#include <string.h>

#include "sciadapt.h"

static const char *adapter_arg(const char *s) { return strcmp(s, "-") == 0 ? NULL : s; }

/* Methanol, CH3OH: atomic numbers and positions in Å (row-major n×3). */
#define NATOMS 6
static const int numbers[NATOMS] = {6, 8, 1, 1, 1, 1};
static const double positions[3 * NATOMS] = {
    -0.047, 0.665, 0.000,  /* C */
    -0.047, -0.763, 0.000, /* O */
    -1.092, 0.977, 0.000,  /* H */
    0.444, 1.071, 0.890,   /* H */
    0.444, 1.071, -0.890,  /* H */
    0.870, -1.063, 0.000,  /* H, hydroxyl */
};

static int potential(const char *model, const char *adapter) {
    int h;
    if (sciadapt_potential_open(model, adapter, &h) != SCIADAPT_OK) {
        fprintf(stderr, "%s\n", sciadapt_last_error());
        return 1;
    }
    double energy, forces[3 * NATOMS], stress[9];

    /* A free molecule: cell = NULL, no stress. */
    if (sciadapt_potential_compute(h, NATOMS, positions, numbers, NULL, &energy, forces, NULL) != SCIADAPT_OK) {
        fprintf(stderr, "%s\n", sciadapt_last_error());
        return 1;
    }
    printf("free energy: %.17g\n", energy);
    for (int i = 0; i < NATOMS; i++)
        printf("free force %d: %.17g %.17g %.17g\n", i, forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]);

    /* The same molecule in a periodic triclinic box (rows are lattice vectors, Å). */
    const double cell[9] = {6.0, 0.0, 0.0, 0.5, 6.2, 0.0, -0.3, 0.4, 5.8};
    if (sciadapt_potential_compute(h, NATOMS, positions, numbers, cell, &energy, forces, stress) != SCIADAPT_OK) {
        fprintf(stderr, "%s\n", sciadapt_last_error());
        return 1;
    }
    printf("periodic energy: %.17g\n", energy);
    for (int i = 0; i < NATOMS; i++)
        printf("periodic force %d: %.17g %.17g %.17g\n", i, forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]);
    printf("periodic stress:");
    for (int k = 0; k < 9; k++)
        printf(" %.17g", stress[k]);
    printf("\n");
    return sciadapt_potential_close(h);
}

static int material(const char *model, const char *adapter) {
    int h;
    if (sciadapt_material_open(model, adapter, &h) != SCIADAPT_OK) {
        fprintf(stderr, "%s\n", sciadapt_last_error());
        return 1;
    }
    /* A virgin material point: all state variables zero. */
    double stress[6] = {0}, statev[SCIADAPT_NSTATV] = {0}, ddsdde[36], stran[6] = {0};
    /* Voigt order 11, 22, 33, 12, 13, 23; engineering shear strains. */
    const double load[6] = {1e-3, -4e-4, -4e-4, 3e-4, 1e-4, -2e-4};
    const double temp = 473.15, dtemp = 0; /* 200 °C, in kelvin */
    for (int k = 0; k < 8; k++) {
        double dstran[6];
        double sign = k < 5 ? 1 : -1; /* load for 5 increments, then unload */
        for (int i = 0; i < 6; i++)
            dstran[i] = sign * load[i];
        if (sciadapt_material_update(h, stress, statev, ddsdde, stran, dstran, temp, dtemp, 6, SCIADAPT_NSTATV) != SCIADAPT_OK) {
            fprintf(stderr, "%s\n", sciadapt_last_error());
            return 1;
        }
        for (int i = 0; i < 6; i++)
            stran[i] += dstran[i];
        printf("increment %d stress:", k);
        for (int i = 0; i < 6; i++)
            printf(" %.17g", stress[i]);
        printf("\nincrement %d statev:", k);
        for (int i = 0; i < SCIADAPT_NSTATV; i++)
            printf(" %.17g", statev[i]);
        printf("\nincrement %d ddsdde:", k);
        for (int i = 0; i < 36; i++)
            printf(" %.17g", ddsdde[i]);
        printf("\n");
    }

    /* Plane strain (ntens = 4: 11, 22, 33, 12), one increment from a virgin point
     * at 23 °C. */
    double stress4[4], statev4[SCIADAPT_NSTATV] = {0}, ddsdde4[16];
    const double dstran4[4] = {4e-3, -1e-3, 0, 2e-3};
    if (sciadapt_material_update(h, stress4, statev4, ddsdde4, NULL, dstran4, 296.15, 0, 4, SCIADAPT_NSTATV) != SCIADAPT_OK) {
        fprintf(stderr, "%s\n", sciadapt_last_error());
        return 1;
    }
    printf("plane strain stress:");
    for (int i = 0; i < 4; i++)
        printf(" %.17g", stress4[i]);
    printf("\nplane strain statev:");
    for (int i = 0; i < SCIADAPT_NSTATV; i++)
        printf(" %.17g", statev4[i]);
    printf("\nplane strain ddsdde:");
    for (int i = 0; i < 16; i++)
        printf(" %.17g", ddsdde4[i]);
    printf("\n");
    return sciadapt_material_close(h);
}

/* errors shows what failures look like: a status code and a message. */
static void errors(const char *potential_model, const char *material_model) {
    int h = 0, m = 0, code;
    double energy, stress[9], ddsdde[36], statev[SCIADAPT_NSTATV] = {0}, s6[6], d6[6] = {0};

    code = sciadapt_potential_open("/nonexistent/hcn.model", NULL, &h);
    printf("error bad-path: %d %s\n", code, sciadapt_last_error());

    code = sciadapt_potential_open(material_model, NULL, &h);
    printf("error wrong-kind: %d %s\n", code, sciadapt_last_error());

    code = sciadapt_potential_compute(12345, NATOMS, positions, numbers, NULL, &energy, NULL, NULL);
    printf("error bad-handle: %d %s\n", code, sciadapt_last_error());

    sciadapt_potential_open(potential_model, NULL, &h);
    sciadapt_material_open(material_model, NULL, &m);
    int gold[NATOMS] = {79, 8, 1, 1, 1, 1};
    code = sciadapt_potential_compute(h, NATOMS, positions, gold, NULL, &energy, NULL, NULL);
    printf("error unknown-element: %d %s\n", code, sciadapt_last_error());

    code = sciadapt_potential_compute(h, NATOMS, positions, numbers, NULL, &energy, NULL, stress);
    printf("error stress-without-cell: %d %s\n", code, sciadapt_last_error());

    code = sciadapt_potential_compute(m, NATOMS, positions, numbers, NULL, &energy, NULL, NULL);
    printf("error material-as-potential: %d %s\n", code, sciadapt_last_error());

    code = sciadapt_material_update(m, s6, statev, ddsdde, NULL, d6, 296.15, 0, 3, SCIADAPT_NSTATV);
    printf("error plane-stress: %d %s\n", code, sciadapt_last_error());

    code = sciadapt_material_update(m, s6, statev, ddsdde, NULL, d6, 0, 0, 6, SCIADAPT_NSTATV);
    printf("error zero-kelvin: %d %s\n", code, sciadapt_last_error());

    sciadapt_potential_close(h);
    code = sciadapt_potential_close(h);
    printf("error closed-twice: %d %s\n", code, sciadapt_last_error());
    sciadapt_material_close(m);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s POTENTIAL.model ADAPTER|- MATERIAL.model ADAPTER|-\n", argv[0]);
        return 2;
    }
    if (potential(argv[1], adapter_arg(argv[2])) != 0)
        return 1;
    if (material(argv[3], adapter_arg(argv[4])) != 0)
        return 1;
    errors(argv[1], argv[3]);
    return 0;
}
