#!/usr/bin/python3
"""Write the sciadapt sweep spec of the rat GPCR transfer grid, in priority order.

  bench/dti/sweep_spec.py STAGE BASE.model > spec.json

Stages grow the same job list (a sweep re-run skips finished jobs):
  1  K = 4, 8, 16, seeds 1-5, the core arms (lambda = 1)
  2  + K = 0 and 32, seeds 1-5 (K = 0: only the frozen model and the arms with an
       alignment term; nothing else has anything to train)
  3  + seeds 6-10 for K = 4, 8, 16
  4  + lambda = 0.1 and 10 (aligned and shuffled) for K = 4, 8, 16, seeds 1-5
  5  + seeds 6-10 for K = 0 and 32
"""
import json, sys

stage, base = int(sys.argv[1]), sys.argv[2]

# arm name -> flags. The drug-only control rides on the plain adapter arm (it is
# fine-tuned on the same K pairs and scored on the same test pairs).
ARMS = [
    ("frozen", {"method": "frozen"}),
    ("head", {"method": "head"}),
    ("full", {"method": "full"}),
    ("adapter", {"method": "adapter", "control": "drug_only.model"}),
    ("adapter_align_1", {"method": "adapter", "orthologs": "ORTH.h5", "align": 1}),
    ("shuffled_1", {"method": "adapter", "orthologs": "ORTH.h5", "align": 1, "shuffle-orthologs": True}),
    ("prompt_auto", {"method": "prompt", "prompt-length": "auto"}),
]
LAMBDAS = [
    ("adapter_align_0.1", {"method": "adapter", "orthologs": "ORTH.h5", "align": 0.1}),
    ("adapter_align_10", {"method": "adapter", "orthologs": "ORTH.h5", "align": 10}),
    ("shuffled_10", {"method": "adapter", "orthologs": "ORTH.h5", "align": 10, "shuffle-orthologs": True}),
]
ZERO_SHOT = {"frozen", "adapter_align_0.1", "adapter_align_1", "adapter_align_10", "shuffled_1", "shuffled_10"}

def block(ks, seeds, arms=ARMS):
    out = []
    for seed in seeds:
        for k in ks:
            for name, flags in arms:
                if k == 0 and name not in ZERO_SHOT:
                    continue
                # Every job names every varying flag, so that names stay unique
                # and job.json records the arm in full.
                j = {"per-target": k, "seed": seed, "method": flags["method"],
                     "orthologs": flags.get("orthologs", ""), "align": flags.get("align", 0),
                     "shuffle-orthologs": flags.get("shuffle-orthologs", False),
                     "prompt-length": flags.get("prompt-length", "8"), "control": flags.get("control", "")}
                out.append(j)
    return out

jobs = block([4, 8, 16], range(1, 6))
if stage >= 2:
    jobs += block([0, 32], range(1, 6))
if stage >= 3:
    jobs += block([4, 8, 16], range(6, 11))
if stage >= 4:
    jobs += block([4, 8, 16], range(1, 6), LAMBDAS)
if stage >= 5:
    jobs += block([0, 32], range(6, 11))
spec = {"command": "transfer",
        "args": {"base": base, "species": "rat", "data": "GPCR.h5"},
        "jobs": jobs}
json.dump(spec, sys.stdout, indent=1)
print()
