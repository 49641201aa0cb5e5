#!/bin/bash
# Rat GPCR transfer grid (issue 7): K labelled pairs per rat receptor, arms and
# seeds as listed in sweep_spec.py, run by "sciadapt sweep" on one core.
#
#   BASE=human_pm16.model STAGE=2 bench/dti/sweep.sh DIR
#
# DIR holds GPCR.h5 and ORTH.h5 (sciadapt import gpcr / import fasta), the human
# base model BASE and drug_only.model (train dti --drug-only). The sweep goes to
# DIR/sweep (sweep.csv, sweep.json, jobs/<name>/report.json). STAGE (1-5) grows
# the grid in priority order; re-running with a higher stage runs only the new
# jobs. Then: bench/dti/sweep_summary.py DIR/sweep bench/dti/auroc_vs_k.png
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "${1:?directory with GPCR.h5, ORTH.h5, the base model and drug_only.model}"
S=${BIN:-sciadapt}
BASE=${BASE:-human_gpcr.model}
STAGE=${STAGE:-1}
/usr/bin/python3 "$here/sweep_spec.py" "$STAGE" "$BASE" > sweep_stage$STAGE.json
export OPENBLAS_NUM_THREADS=1
nice -n 10 $S sweep --spec sweep_stage$STAGE.json --out sweep --executor local --jobs 1
