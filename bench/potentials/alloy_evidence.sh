#!/usr/bin/env bash
# Evidence for "sciadapt add-element" on EMT alloys (issue: interatomic potentials):
# a base Cu/Ag/Au potential, then Pd added from K structures in all (one frame per
# system, so K counts structures: --total-frames) by each method, tested on
# pd_test.h5 (energies, forces, stress). One JSON report per run in $OUT. Usage:
#   bench/potentials/alloy_evidence.sh [DATA_DIR] [OUT_DIR]
# Environment: BASE_FRAMES (600), BASE_EPOCHS (40), ADAPT_EPOCHS (60), KS ("10 50 200"),
# SEEDS ("1"), EW (100), ARCH (the model size flags).
set -euo pipefail
DATA=${1:-../shared/data/emt}
OUT=${2:-bench/out/alloy}
BIN=${BIN:-bin/sciadapt}
BASE_FRAMES=${BASE_FRAMES:-600}
BASE_EPOCHS=${BASE_EPOCHS:-40}
ADAPT_EPOCHS=${ADAPT_EPOCHS:-60}
KS=${KS:-"10 50 200"}
SEEDS=${SEEDS:-1}
EW=${EW:-100}
SW=${SW:-0}
ARCH=${ARCH:-"--cutoff 4.5 --features 32 --rbf 16 --interactions 2"}
mkdir -p "$OUT"
if [ ! -f "$OUT/base.model" ]; then
  $BIN train potential --data "$DATA/cuagau_train.h5" --total-frames "$BASE_FRAMES" --epochs "$BASE_EPOCHS" \
    $ARCH --stress-weight "$SW" --out "$OUT/base.model" --report "$OUT/base_train.json"
fi
[ -f "$OUT/base_cuagau_test.json" ] || $BIN eval --model "$OUT/base.model" --data "$DATA/cuagau_test.h5" --report "$OUT/base_cuagau_test.json"
for seed in $SEEDS; do
  for k in $KS; do
    for method in zero-shot adapter full; do
      r="$OUT/pd_${method}_k${k}_s${seed}.json"
      [ -f "$r" ] && continue
      $BIN add-element --base "$OUT/base.model" --element Pd --data "$DATA/pd_train.h5" --total-frames "$k" \
        --method "$method" --epochs "$ADAPT_EPOCHS" --seed "$seed" --energy-weight "$EW" --test "$DATA/pd_test.h5" \
        --out "$OUT/pd_${method}_k${k}_s${seed}.adapter" --report "$r"
    done
    r="$OUT/pd_scratch_k${k}_s${seed}.json"
    if [ ! -f "$r" ]; then
      $BIN train potential --data "$DATA/pd_train.h5" --total-frames "$k" --epochs "$ADAPT_EPOCHS" --seed "$seed" \
        --energy-weight "$EW" $ARCH --out "$OUT/pd_scratch_k${k}_s${seed}.model" --report "$OUT/pd_scratch_k${k}_s${seed}_train.json"
      $BIN eval --model "$OUT/pd_scratch_k${k}_s${seed}.model" --data "$DATA/pd_test.h5" --report "$r"
    fi
  done
done
