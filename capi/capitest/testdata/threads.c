/*
 * threads.c: the C interface under several threads (used by capitest).
 *
 *   threads POTENTIAL.model
 *
 * Eight threads share one potential handle and each opens its own; every thread
 * computes the energy of a hydrogen cyanide molecule 20 times on each handle, and fails one
 * call with a bad handle of its own number. After a barrier each thread reads
 * sciadapt_last_error(), which must name its own bad handle (messages are per
 * thread). Prints "ok ENERGY" or the first problem.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers under -std=c11 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "sciadapt.h"

#define NTHREADS 8
/* HCN, Å. */
static const int numbers[3] = {1, 6, 7};
static const double positions[9] = {0, 0, -1.064, 0, 0, 0, 0, 0, 1.156};
static int shared;
static const char *model;
static double reference;
static pthread_barrier_t barrier;
static char problem[NTHREADS][512];

static void *work(void *arg) {
    int id = (int)(long)arg, own, code;
    double e;
    if (sciadapt_potential_open(model, NULL, &own) != SCIADAPT_OK) {
        snprintf(problem[id], sizeof problem[id], "open: %s", sciadapt_last_error());
        pthread_barrier_wait(&barrier);
        return NULL;
    }
    for (int k = 0; k < 20; k++) {
        for (int which = 0; which < 2; which++) {
            code = sciadapt_potential_compute(which ? own : shared, 3, positions, numbers, NULL, &e, NULL, NULL);
            if (code != SCIADAPT_OK || e != reference) {
                snprintf(problem[id], sizeof problem[id], "thread %d: code %d, energy %.17g, want %.17g", id, code, e, reference);
            }
        }
    }
    sciadapt_potential_compute(1000 + id, 3, positions, numbers, NULL, &e, NULL, NULL);
    pthread_barrier_wait(&barrier); /* every thread has failed once before any reads */
    char want[64];
    snprintf(want, sizeof want, "handle %d is not open", 1000 + id);
    if (strstr(sciadapt_last_error(), want) == NULL)
        snprintf(problem[id], sizeof problem[id], "thread %d reads another thread's error: %s", id, sciadapt_last_error());
    sciadapt_potential_close(own);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    model = argv[1];
    if (sciadapt_potential_open(model, NULL, &shared) != SCIADAPT_OK ||
        sciadapt_potential_compute(shared, 3, positions, numbers, NULL, &reference, NULL, NULL) != SCIADAPT_OK) {
        printf("setup: %s\n", sciadapt_last_error());
        return 1;
    }
    pthread_t th[NTHREADS];
    pthread_barrier_init(&barrier, NULL, NTHREADS);
    for (long i = 0; i < NTHREADS; i++)
        pthread_create(&th[i], NULL, work, (void *)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < NTHREADS; i++) {
        if (problem[i][0]) {
            printf("%s\n", problem[i]);
            return 1;
        }
    }
    printf("ok %.17g\n", reference);
    return 0;
}
