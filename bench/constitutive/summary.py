"""Summarise bench/constitutive/evidence.sh reports: mean tuned and base errors on the
other specimens, against the specimen-to-specimen scatter, per temperature and K. A run
that wrote no report (temperature-tune failed) is counted as failed, never dropped
silently: the number of runs expected is the number of specimens at the temperature
(from import.log)."""
import glob, json, os, re, statistics, sys

out = sys.argv[1]
base = json.load(open(os.path.join(out, "base.json")))
log = open(os.path.join(out, "import.log")).read()
print(f"base at 23 C: {base['n_curves']} curves, stress RMSE {base['stress_rmse_mpa']:.2f} MPa "
      f"(NRMSE {base['stress_nrmse']:.4f}); scatter {base['scatter']['stress_rmse_mpa']:.2f} MPa")
print("| T | K | runs | failed | tuned RMSE MPa mean (min–max) over the runs that did not fail | tuned NRMSE | base RMSE MPa | scatter RMSE MPa | trained params |")
print("|---|---|---|---|---|---|---|---|---|")
for T in ("100C", "200C"):
    expected = len(set(re.findall(rf"6061-\d+-\d+-{T}-[A-Z]+", log)))
    for k in (5, 10, 20):
        rs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(out, f"tune_{T}_k{k}_*.json")))]
        failed = expected - len(rs)
        if not rs:
            print(f"| {T} | {k} | {expected} | {failed} | all failed | | | | |")
            continue
        rm = [r["stress_rmse_mpa"] for r in rs]
        print(f"| {T} | {k} | {expected} | {failed} | {statistics.mean(rm):.2f} ({min(rm):.2f}–{max(rm):.2f}) | "
              f"{statistics.mean(r['stress_nrmse'] for r in rs):.4f} | "
              f"{statistics.mean(r['base']['stress_rmse_mpa'] for r in rs):.2f} | "
              f"{statistics.mean(r['scatter']['stress_rmse_mpa'] for r in rs):.2f} | {rs[0]['trainable_parameters']} |")
