#!/bin/bash
# Rat GPCR transfer, K = 16 labelled pairs per rat receptor, three seeds (which pairs
# adapt, the adapter's initialisation, the batch order), four arms. Needs GPCR.h5 and
# ORTH.h5 (sciadapt import gpcr / import fasta, see the README) and a human model
# (sciadapt train dti --data GPCR.h5 --species human,unknown --out human_gpcr.model).
#   bench/dti/transfer_seeds.sh DIR      (DIR holds the three files; reports go to DIR/ev3)
set -euo pipefail
cd "${1:?directory with GPCR.h5, ORTH.h5 and human_gpcr.model}"
S=${BIN:-sciadapt}
export OPENBLAS_NUM_THREADS=1
mkdir -p ev3
for SEED in 1 2 3; do
  common="--base human_gpcr.model --species rat --data GPCR.h5 --seed $SEED --per-target 16 --quiet"
  run() { arm=$1; shift; [ -f ev3/${arm}_s$SEED.json ] || $S transfer $common --out ev3/${arm}_s$SEED.adapter --report ev3/${arm}_s$SEED.json "$@" > ev3/${arm}_s$SEED.log 2>&1; }
  run frozen --method frozen
  run adapter --method adapter
  run adapter_align --method adapter --orthologs ORTH.h5 --align 1
  run shuffled --method adapter --orthologs ORTH.h5 --align 1 --shuffle-orthologs
done
