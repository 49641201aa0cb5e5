#!/usr/bin/env bash
# Evidence for "sciadapt temperature-tune" on the measured Al 6061-T6 tension curves.
# Imports the Sandia MatCal curves, trains the base at 23 °C, then for 100 °C and
# 200 °C and K = 5, 10, 20 tunes on K points of each specimen in turn and reports the
# error on the other specimens at that temperature. Summary: summary.py.
#   bench/constitutive/evidence.sh [AL6061_DIR] [OUT_DIR]
set -euo pipefail
SRC=${1:-../shared/data/constitutive/al6061_sandia/processed_data}
OUT=${2:-bench/out/constitutive}
BIN=${BIN:-bin/sciadapt}
mkdir -p "$OUT"
[ -f "$OUT/al6061.h5" ] || $BIN import matcal "$SRC"/*.csv --out "$OUT/al6061.h5" > "$OUT/import.log"
[ -f "$OUT/base.model" ] || $BIN train constitutive --data "$OUT/al6061.h5" --out "$OUT/base.model" --report "$OUT/base.json"
for T in 100C 200C; do
  specimens=$(grep -o "6061-[0-9]*-[0-9]*-${T}-[A-Z]*" "$OUT/import.log" | sort -u)
  for k in 5 10 20; do
    for s in $specimens; do
      r="$OUT/tune_${T}_k${k}_${s}.json"
      [ -f "$r" ] && continue
      # A run that fails writes no report; summary.py counts it as a failure.
      $BIN temperature-tune --base "$OUT/base.model" --temperature "$T" --data "$OUT/al6061.h5" \
        --specimen "$s" --points "$k" --out "$OUT/tune_${T}_k${k}_${s}.adapter" --report "$r" > /dev/null ||
        echo "temperature-tune $T K=$k $s failed" >&2
    done
  done
done
/usr/bin/python3 "$(dirname "$0")/summary.py" "$OUT"
# The Gleeble steel: held-out strain rates at 1150 and 1200 °C.
[ -f "$OUT/gleeble.h5" ] || $BIN import gleeble "${GLEEBLE:-../shared/data/constitutive/gleeble_medium_carbon_steel/GleebleData.h5}" --out "$OUT/gleeble.h5" > /dev/null
OPENBLAS_NUM_THREADS=1 go run ./bench/constitutive/arms -gleeble "$OUT/gleeble.h5"
# Comparison arms (FiLM, full, scratch, Johnson–Cook, rescale) and their figures.
OPENBLAS_NUM_THREADS=1 go run ./bench/constitutive/arms -data "$OUT/al6061.h5" -base "$OUT/base.model" -out "$OUT/arms"
/usr/bin/python3 "$(dirname "$0")/plot_arms.py" "$OUT/arms" "$(dirname "$0")"
