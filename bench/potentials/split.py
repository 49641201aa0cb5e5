#!/usr/bin/env python3
"""Split an atoms HDF5 file by frame into two files with the same layout.

    /usr/bin/python3 bench/potentials/split.py IN.h5 OUT_A.h5 OUT_B.h5 --b-frames N --seed S

Every system keeps its attributes; N frames of each system (a seeded permutation,
numpy's default_rng(seed)) go to OUT_B (a validation split), the others to OUT_A.
With --b-systems M instead, M whole systems (seeded) go to OUT_B: for files of one
frame per system, such as the EMT alloys.
Used to carve validation frames out of training data, so that defaults and
hyperparameters are chosen without the test set.
"""
import argparse

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out_a")
    ap.add_argument("out_b")
    ap.add_argument("--b-frames", type=int, default=0)
    ap.add_argument("--b-systems", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    with h5py.File(a.inp, "r") as f, h5py.File(a.out_a, "w") as fa, h5py.File(a.out_b, "w") as fb:
        for k, v in f.attrs.items():
            fa.attrs[k] = v
            fb.attrs[k] = v
        names = sorted(f)
        held = set(rng.permutation(names)[: a.b_systems]) if a.b_systems else set()
        for name in names:
            g = f[name]
            m = g["energies"].shape[0]
            if a.b_systems:
                b, rest = (np.arange(m), np.arange(0)) if name in held else (np.arange(0), np.arange(m))
            else:
                perm = rng.permutation(m)
                b = np.sort(perm[: min(a.b_frames, m)])
                rest = np.sort(perm[min(a.b_frames, m):])
            for out, idx in ((fa, rest), (fb, b)):
                if len(idx) == 0:
                    continue
                og = out.create_group(name)
                for k, v in g.attrs.items():
                    og.attrs[k] = v
                for key in g:
                    d = g[key]
                    if d.ndim > 0 and d.shape[0] == m and key not in ("atomic_numbers", "pbc"):
                        og.create_dataset(key, data=d[...][idx])
                    else:
                        og.create_dataset(key, data=d[...])


if __name__ == "__main__":
    main()
