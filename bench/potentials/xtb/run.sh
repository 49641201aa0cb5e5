#!/usr/bin/env bash
# Regenerate the GFN2-xTB data sets of bench/potentials/xtb from scratch (see README.md).
# Usage, from the repository root:
#   bench/potentials/xtb/run.sh [OUT_DIR]          (default bench/potentials/xtb/out)
# Needs Debian's xtb, python3-rdkit, python3-ase, python3-h5py, libinchi-bin and Go.
# One xtb process at a time, single-threaded, under nice -n 10. Interrupted runs resume
# (finished molecules are cached in OUT_DIR/work).
set -euo pipefail
HERE=bench/potentials/xtb
OUT=${1:-$HERE/out}
PY=/usr/bin/python3
export OMP_NUM_THREADS=1
mkdir -p "$OUT"
$PY $HERE/checklists.py --write-split
for group in hcn o_adapt o_test; do
  nice -n 10 $PY $HERE/xtbgen.py --group $group --out "$OUT" 2>&1 | tee -a "$OUT/generate_$group.log"
done
go build -o "$OUT/sciadapt" ./cmd/sciadapt
$PY $HERE/collect.py --out "$OUT" --sciadapt "$OUT/sciadapt"
nice -n 10 $PY $HERE/fdcheck.py --out "$OUT" | tee "$OUT/fdcheck.log"
