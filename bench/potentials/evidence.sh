#!/usr/bin/env bash
# Evidence for "sciadapt add-element" on rMD17 (issue: interatomic potentials).
# Trains a base H/C/N potential, then adds O with K frames per molecule by each method,
# and writes one JSON report per run into $OUT. Usage:
#   bench/potentials/evidence.sh [DATA_DIR] [OUT_DIR]
# Environment: BASE_FRAMES (per molecule, default 250), BASE_EPOCHS (60), ADAPT_EPOCHS
# (100), KS ("10 50 200"), SEEDS ("1"), EW (100), METHODS ("zero-shot adapter full scratch"),
# VARIANTS (extra adapter runs, "name:flags;name:flags", e.g.
# "adapter-r2f32:--method adapter --rank 2 --precision float32").
set -euo pipefail
DATA=${1:-../shared/data/rmd17}
OUT=${2:-bench/out/potentials}
BIN=${BIN:-bin/sciadapt}
BASE_FRAMES=${BASE_FRAMES:-250}
BASE_EPOCHS=${BASE_EPOCHS:-60}
ADAPT_EPOCHS=${ADAPT_EPOCHS:-100}
KS=${KS:-"10 50 200"}
SEEDS=${SEEDS:-1}
EW=${EW:-100}   # energy weight of adaptation and from-scratch training, per (eV/atom)²
METHODS=${METHODS-"zero-shot adapter full scratch"}
VARIANTS=${VARIANTS:-}
mkdir -p "$OUT"
if [ ! -f "$OUT/base.model" ]; then
  $BIN train potential --data "$DATA/hcn_train.h5" --frames "$BASE_FRAMES" --epochs "$BASE_EPOCHS" \
    --out "$OUT/base.model" --report "$OUT/base_train.json"
fi
$BIN eval --model "$OUT/base.model" --data "$DATA/hcn_test.h5" --report "$OUT/base_hcn_test.json"
for seed in $SEEDS; do
  for k in $KS; do
    runs=()
    for method in $METHODS; do
      [ "$method" = scratch ] || runs+=("$method:--method $method")
    done
    IFS=';' read -ra extra <<< "$VARIANTS"
    runs+=("${extra[@]}")
    for run in "${runs[@]}"; do
      [ -n "$run" ] || continue
      name=${run%%:*}
      r="$OUT/o_${name}_k${k}_s${seed}.json"
      [ -f "$r" ] && continue
      # shellcheck disable=SC2086 # the variant's flags are split on purpose
      $BIN add-element --base "$OUT/base.model" --element O --data "$DATA/o_train.h5" --frames "$k" \
        ${run#*:} --epochs "$ADAPT_EPOCHS" --seed "$seed" --energy-weight "$EW" --test "$DATA/o_test.h5" \
        --out "$OUT/o_${name}_k${k}_s${seed}.adapter" --report "$r"
    done
    r="$OUT/o_scratch_k${k}_s${seed}.json"
    if [[ " $METHODS " == *" scratch "* && ! -f "$r" ]]; then
      $BIN train potential --data "$DATA/o_train.h5" --frames "$k" --epochs "$ADAPT_EPOCHS" --seed "$seed" --energy-weight "$EW" \
        --out "$OUT/o_scratch_k${k}_s${seed}.model" --report "$OUT/o_scratch_k${k}_s${seed}_train.json"
      $BIN eval --model "$OUT/o_scratch_k${k}_s${seed}.model" --data "$DATA/o_test.h5" --report "$r"
    fi
  done
done
