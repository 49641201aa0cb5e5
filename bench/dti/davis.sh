#!/usr/bin/env bash
# The Davis yardstick of issue #7: a DeepDTA-like affinity model trained on DeepDTA's
# five training folds (setting 1) and tested on its test fold, within an hour on the
# project's 2-core machine. Usage:
#   bench/dti/davis.sh [DAVIS_DIR] [OUT_DIR]
# Environment: BIN (bin/sciadapt), EPOCHS (80), VALIDATE=1 to train on folds 0-3 and
# test on fold 4 instead (for choosing settings without looking at the test fold).
set -euo pipefail
DAVIS=${1:-../shared/data/dti/davis}
OUT=${2:-bench/out/davis}
BIN=${BIN:-bin/sciadapt}
EPOCHS=${EPOCHS:-80}
mkdir -p "$OUT"
[ -f "$OUT/DAVIS.h5" ] || $BIN import davis "$DAVIS" --out "$OUT/DAVIS.h5"
# DeepDTA's encoders (32, 64, 96 filters; windows 8 for residues, 4, 6, 8 for SMILES
# tokens) with embeddings of 32 and a head of 512, 512 (DeepDTA: 128 and 1024, 1024,
# 512 with dropout); batches of 8 proteins × up to 64 of their pairs, so that each
# protein is encoded once per step; Adam 1e-3 with a cosine decay to 1e-5.
model=(--protein-filters 32,64,96 --drug-filters 32,64,96 --drug-widths 4,6,8 --hidden 512,512
  --batch-proteins 8 --pairs-per-protein 64 --lr 1e-3 --lr-schedule cosine --epochs "$EPOCHS")
if [ "${VALIDATE:-0}" = 1 ]; then
  split=(--split train --test-fold 4); name=validate
else
  split=(--split train --test-split test); name=test
fi
OPENBLAS_NUM_THREADS=1 $BIN train dti --data "$OUT/DAVIS.h5" "${split[@]}" "${model[@]}" \
  --out "$OUT/davis_$name.model" --report "$OUT/davis_$name.json" --plot "$OUT/plots_$name"
