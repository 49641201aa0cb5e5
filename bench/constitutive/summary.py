"""Summarise bench/constitutive/evidence.sh reports: mean tuned and base errors on the
other specimens, against the specimen-to-specimen scatter, per temperature and K."""
import glob, json, os, statistics, sys

out = sys.argv[1]
base = json.load(open(os.path.join(out, "base.json")))
print(f"base at 23 C: {base['n_curves']} curves, stress RMSE {base['stress_rmse_mpa']:.2f} MPa "
      f"(NRMSE {base['stress_nrmse']:.4f}); scatter {base['scatter']['stress_rmse_mpa']:.2f} MPa")
print("| T | K | runs | tuned RMSE MPa mean (min–max) | tuned NRMSE | base RMSE MPa | scatter RMSE MPa | trained params |")
print("|---|---|---|---|---|---|---|---|")
for T in ("100C", "200C"):
    for k in (5, 10, 20):
        rs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(out, f"tune_{T}_k{k}_*.json")))]
        if not rs:
            continue
        rm = [r["stress_rmse_mpa"] for r in rs]
        print(f"| {T} | {k} | {len(rs)} | {statistics.mean(rm):.2f} ({min(rm):.2f}–{max(rm):.2f}) | "
              f"{statistics.mean(r['stress_nrmse'] for r in rs):.4f} | "
              f"{statistics.mean(r['base']['stress_rmse_mpa'] for r in rs):.2f} | "
              f"{statistics.mean(r['scatter']['stress_rmse_mpa'] for r in rs):.2f} | {rs[0]['trainable_parameters']} |")
