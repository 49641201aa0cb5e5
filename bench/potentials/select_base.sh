#!/usr/bin/env bash
# Choose the H/C/N base's architecture and training settings on a validation split
# carved from rMD17's hcn_train (never on hcn_test). Each configuration trains on
# hcn_fit.h5 (900 frames per molecule) and is scored on hcn_val.h5 (the other 100 per
# molecule of hcn_train), with its CPU and wall time recorded beside the error.
#
#   bench/potentials/select_base.sh [OUT]          (from the repository root)
#
# Environment: CONFIGS (lines "name|flags", default below), EPOCHS (25),
# THREADS (GOMAXPROCS, 1). The split is made by bench/potentials/split.py (seed 1).
set -euo pipefail
OUT=${1:-bench/out/base}
BIN=${BIN:-bin/sciadapt}
EPOCHS=${EPOCHS:-25}
THREADS=${THREADS:-1}
DATA=${DATA:-../shared/data/rmd17}
mkdir -p "$OUT"
[ -f "$OUT/hcn_val.h5" ] || /usr/bin/python3 bench/potentials/split.py "$DATA/hcn_train.h5" "$OUT/hcn_fit.h5" "$OUT/hcn_val.h5" --b-frames 100 --seed 1
CONFIGS=${CONFIGS:-"painn-f32-fp32|--model painn --features 32 --rbf 20 --precision float32 --batch-size 16
painn-f32-fp64|--model painn --features 32 --rbf 20 --precision float64 --batch-size 16
schnet-fp32|--model schnet --features 64 --rbf 32 --precision float32 --batch-size 32
painn-f64-fp32|--model painn --features 64 --rbf 20 --precision float32 --batch-size 16
painn-f32-fp32-fw100|--model painn --features 32 --rbf 20 --precision float32 --batch-size 16 --force-weight 100
painn-f32-fp32-b8|--model painn --features 32 --rbf 20 --precision float32 --batch-size 8"}
while IFS='|' read -r name flags; do
  [ -n "$name" ] || continue
  r="$OUT/$name.val.json"
  [ -f "$r" ] && continue
  echo "== $name: $flags (load $(cut -d' ' -f1 /proc/loadavg))"
  # shellcheck disable=SC2086 # flags are split on purpose
  /usr/bin/time -f '{"wall_s": %e, "user_s": %U, "sys_s": %S, "max_rss_kb": %M}' -o "$OUT/$name.time.json" \
    env GOMAXPROCS="$THREADS" "$BIN" train potential --data "$OUT/hcn_fit.h5" $flags --epochs "$EPOCHS" --seed 1 \
    --out "$OUT/$name.model" --report "$OUT/$name.train.json" --quiet
  "$BIN" eval --model "$OUT/$name.model" --data "$OUT/hcn_val.h5" --report "$r" --quiet
  echo "$name: $(grep -o '"force_mae_ev_per_angstrom": [0-9.e-]*' "$r" | head -1), $(cat "$OUT/$name.time.json")"
done <<< "$CONFIGS"
