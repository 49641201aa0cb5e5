#!/usr/bin/env bash
# Learning curves of "sciadapt add-element" against K, for every method and the
# from-scratch control, on one dataset. One JSON report per run (with per-system
# errors), or a .failed file with the command's exit code and log tail, in OUT.
#
#   bench/potentials/curves.sh OUT BASE.model ELEMENT ADAPT.h5 TEST.h5 [REPLAY.h5]
#
# Environment:
#   KS        K values ("10 50")            SEEDS    seeds ("1 2 3")
#   SELECT    --frames (K per system) or --total-frames (K in all)
#   METHODS   "zero-shot embedding adapter full full-replay scratch"
#   EPOCHS    adaptation epochs (100)       FLAGS    extra add-element flags (the
#             defaults chosen on validation, e.g. "--energy-weight 100 --lr 3e-3")
#   SCRATCH   train-potential flags for the from-scratch model (architecture,
#             precision, energy weight); it trains on the same K frames for EPOCHS
#   REPLAY_FRAMES  frames per system of REPLAY.h5 for full-replay (K)
#   BIN       the sciadapt binary (bin/sciadapt)
set -uo pipefail
OUT=$1; BASE=$2; EL=$3; ADAPT=$4; TEST=$5; REPLAY=${6:-}
BIN=${BIN:-bin/sciadapt}
KS=${KS:-"10 50"}
SEEDS=${SEEDS:-"1 2 3"}
SELECT=${SELECT:---frames}
METHODS=${METHODS:-"zero-shot embedding adapter full full-replay scratch"}
EPOCHS=${EPOCHS:-100}
FLAGS=${FLAGS:-}
SCRATCH=${SCRATCH:-}
mkdir -p "$OUT"
run() { # name, then the command; writes $OUT/$name.json or $OUT/$name.failed
  local name=$1; shift
  [ -f "$OUT/$name.json" ] && return 0
  rm -f "$OUT/$name.failed"
  local t0; t0=$(date +%s)
  if "$@" > "$OUT/$name.log" 2>&1; then
    echo "$name: ok in $(( $(date +%s) - t0 )) s (load $(cut -d' ' -f1 /proc/loadavg))"
  else
    local rc=$?
    { echo "exit $rc: $*"; tail -5 "$OUT/$name.log"; } > "$OUT/$name.failed"
    echo "$name: FAILED (exit $rc)"
  fi
}
for seed in $SEEDS; do
  for k in $KS; do
    for method in $METHODS; do
      name="${method}_k${k}_s${seed}"
      case $method in
      scratch)
        if [ ! -f "$OUT/$name.model" ]; then
          # shellcheck disable=SC2086
          run "${name}_train" "$BIN" train potential --data "$ADAPT" "$SELECT" "$k" --epochs "$EPOCHS" --seed "$seed" \
            $SCRATCH --out "$OUT/$name.model" --report "$OUT/${name}_train.json" --quiet
        fi
        [ -f "$OUT/$name.model" ] && run "$name" "$BIN" eval --model "$OUT/$name.model" --data "$TEST" --report "$OUT/$name.json" --quiet
        [ -f "$OUT/$name.model" ] || { echo "no model: see ${name}_train.failed" > "$OUT/$name.failed"; }
        ;;
      full-replay)
        [ -n "$REPLAY" ] || continue
        # shellcheck disable=SC2086
        run "$name" "$BIN" add-element --base "$BASE" --element "$EL" --data "$ADAPT" "$SELECT" "$k" --method full \
          --replay "$REPLAY" --replay-frames "${REPLAY_FRAMES:-$k}" --epochs "$EPOCHS" --seed "$seed" $FLAGS \
          --test "$TEST" --out "$OUT/$name.adapter" --report "$OUT/$name.json" --quiet
        ;;
      *)
        # shellcheck disable=SC2086
        run "$name" "$BIN" add-element --base "$BASE" --element "$EL" --data "$ADAPT" "$SELECT" "$k" --method "$method" \
          --epochs "$EPOCHS" --seed "$seed" $FLAGS --test "$TEST" --out "$OUT/$name.adapter" --report "$OUT/$name.json" --quiet
        ;;
      esac
    done
  done
done
