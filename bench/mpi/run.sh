#!/bin/sh
# bench/mpi/run.sh — speed of "sciadapt train potential" on 1 process and on 2 MPI
# ranks (data-parallel, --distributed), on the same frames with the same global batch.
#
#   sh bench/mpi/run.sh [DATA.h5]        (from the repository root)
#
# Environment: FRAMES (per system, default 25), EPOCHS (10), REPEAT (3), OUT
# (bench/out/mpi, ignored by git). Needs libopenmpi-dev and openmpi-bin (make deps).
# The default data is rMD17 H/C/N (../shared/data, CC0-1.0): 4 molecules, so
# FRAMES=25 gives 100 frames. Every configuration runs through "mpirun --distributed",
# so all report train_seconds (the time inside Train: forward, backward, all-reduce,
# Adam step; not start-up, reading, reference fit or evaluation) and the time at the
# end of each epoch. The first epochs are slower (a warm-up of several epochs, seen
# but not analysed), so the table gives both the whole training and the steady state
# of the second half of the epochs.
#
# Configurations:
#   1rank-1thread  mpirun -np 1, OPENBLAS_NUM_THREADS=1 GOMAXPROCS=1
#   1rank-2thread  mpirun -np 1 --bind-to none, OPENBLAS_NUM_THREADS=2 GOMAXPROCS=2
#                  (one process using both cores its own way)
#   2rank-1thread  mpirun -np 2, 1 thread each (the data-parallel run; every batch
#                  split between the ranks by cost: atoms + neighbour pairs)
#   2rank-1thread-tcp  the same with --mca btl tcp,self
#   2rank-1thread-sharded  2 ranks, each holding its block of frames (--sharded): the
#                  former default, whose ranks wait on unevenly split batches
# On a busy machine, run it with a raised priority in its own autogroup:
#   setsid sh -c 'echo -20 > /proc/self/autogroup; exec nice -n -20 sh bench/mpi/run.sh'
set -eu
DATA=${1:-/work/shared/data/rmd17/hcn_train.h5}
FRAMES=${FRAMES:-25}
EPOCHS=${EPOCHS:-10}
REPEAT=${REPEAT:-3}
OUT=${OUT:-bench/out/mpi}
mkdir -p "$OUT"
go build -tags mpi -o "$OUT/sciadapt" ./cmd/sciadapt
MPIRUN="mpirun --allow-run-as-root --oversubscribe"
ARGS="train potential --data $DATA --frames $FRAMES --epochs $EPOCHS --batch-size 32 --seed 1 --distributed"

one() { # name, then the launcher words
	name=$1
	shift
	"$@" "$OUT/sciadapt" $ARGS ${SHARDED:-} --out "$OUT/$name.model" --report "$OUT/$name-$rep.json" >"$OUT/$name-$rep.log" 2>&1
	echo "$name run $rep: $(grep -o '"train_seconds": [0-9.]*' "$OUT/$name-$rep.json")"
}
for rep in $(seq "$REPEAT"); do
	one 1rank-1thread $MPIRUN -np 1 -x OPENBLAS_NUM_THREADS=1 -x GOMAXPROCS=1
	one 1rank-2thread $MPIRUN -np 1 --bind-to none -x OPENBLAS_NUM_THREADS=2 -x GOMAXPROCS=2
	one 2rank-1thread $MPIRUN -np 2 -x OPENBLAS_NUM_THREADS=1 -x GOMAXPROCS=1
	one 2rank-1thread-tcp $MPIRUN -np 2 --mca btl tcp,self -x OPENBLAS_NUM_THREADS=1 -x GOMAXPROCS=1
	SHARDED=--sharded one 2rank-1thread-sharded $MPIRUN -np 2 -x OPENBLAS_NUM_THREADS=1 -x GOMAXPROCS=1
done
/usr/bin/python3 - "$OUT" "$EPOCHS" "$REPEAT" <<'PY'
import json, sys, glob
out, epochs, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = {}
for name in ["1rank-1thread", "1rank-2thread", "2rank-1thread", "2rank-1thread-tcp", "2rank-1thread-sharded"]:
    rs = [json.load(open(f"{out}/{name}-{r}.json")) for r in range(1, repeat + 1)]
    total = [r["train_seconds"] for r in rs]
    h = epochs // 2
    steady = [(epochs - h) / (r["epoch_end_seconds"][-1] - r["epoch_end_seconds"][h - 1]) for r in rs]
    rows[name] = (total, steady)
base_t, base_s = min(rows["1rank-1thread"][0]), max(rows["1rank-1thread"][1])
print("| configuration | train seconds, all epochs (runs) | best | speed-up | steady epochs/s, second half (runs) | best | speed-up |")
print("|---|---|---|---|---|---|---|")
for name, (total, steady) in rows.items():
    bt, bs = min(total), max(steady)
    print(f"| {name} | {', '.join(f'{t:.2f}' for t in total)} | {bt:.2f} | {base_t / bt:.2f}x "
          f"| {', '.join(f'{v:.3f}' for v in steady)} | {bs:.3f} | {bs / base_s:.2f}x |")
PY
# The models of all configurations must agree to rounding (safetensors: 8-byte header
# length, JSON header, float64 data).
/usr/bin/python3 - "$OUT" <<'PY'
import json, struct, sys
def load(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    h = json.loads(b[8:8 + n])
    data = b[8 + n:]
    return {k: struct.unpack(f"<{(v['data_offsets'][1] - v['data_offsets'][0]) // 8}d", data[v['data_offsets'][0]:v['data_offsets'][1]])
            for k, v in h.items() if k != "__metadata__" and v["dtype"] == "F64"}
ref = load(f"{sys.argv[1]}/1rank-1thread.model")
for name in ["1rank-2thread", "2rank-1thread", "2rank-1thread-tcp", "2rank-1thread-sharded"]:
    m = load(f"{sys.argv[1]}/{name}.model")
    d = max(abs(a - b) for k in ref for a, b in zip(ref[k], m[k]))
    print(f"max |Δθ| {name} vs 1rank-1thread: {d:.3g} over {sum(len(v) for v in ref.values())} parameters")
PY
