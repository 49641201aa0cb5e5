"""Running Debian's xtb binary (GFN2-xTB single points and optimisations, GFN-FF
molecular dynamics) and reading its output, with the unit conversions.

Units. xtb works in hartree (Eh) and bohr; this project stores eV and Å. The
conversions are CODATA 2018 (https://physics.nist.gov/cuu/Constants/), the same values
as the project's datasets package (datasets/doc.go):
    1 Eh   = 27.211386245988 eV
    1 bohr = 0.529177210903 Å
    k_B    = 3.1668115634556e-6 Eh/K
    1 u    = 1822.888486209 m_e          (atomic mass constant / electron mass)
    1 fs   = 41.341373335 atomic units of time (1 / 2.4188843265857e-17 s, scaled)
xtb 6.5.1 reads xyz files in Å and converts them with the same bohr (measured: the
coordinates it echoes in its gradient file divided by ours give 0.529177210903 to 12
digits), so gradients convert back with the same constant. Forces = -gradient:
F[eV/Å] = -g[Eh/bohr] * 27.211386245988 / 0.529177210903.
"""
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np

HARTREE_EV = 27.211386245988
BOHR_ANG = 0.529177210903
KB_HARTREE = 3.1668115634556e-6
AMU_ME = 1822.888486209
FS_AU = 41.341373335
FORCE_EV_ANG = HARTREE_EV / BOHR_ANG  # (Eh/bohr) -> (eV/Å)

# Standard atomic weights (IUPAC 2013 conventional values), u. Used only for the
# initial velocities and for the kinetic temperature of dumped frames; xtb's own
# masses for H/C/N/O agree to better than 1e-3 u.
MASS_U = {1: 1.008, 6: 12.011, 7: 14.007, 8: 15.999}
SYMBOL = {1: "H", 6: "C", 7: "N", 8: "O"}

XTB = os.environ.get("XTB", "xtb")
TIMEOUT_S = 600
# SCC accuracy of the GFN2 single points and optimisations (--acc; 0.01 converges the
# energy to 1e-8 Eh, 100x tighter than the default), electronic temperature default 300 K.
GFN2_ACC = "0.01"


class XtbError(Exception):
    """An xtb run that failed; the message says how."""


def xtb_env():
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               OMP_STACKSIZE="256M")
    return env


def run_xtb(args, files, tmp_root, want):
    """Run xtb with args in a fresh directory holding files {name: text}; return
    {name: text} of the wanted output files and the stdout. Raise XtbError if xtb
    exits non-zero, times out or leaves a wanted file out."""
    d = tempfile.mkdtemp(prefix="xtb-", dir=tmp_root)
    try:
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        try:
            p = subprocess.run([XTB] + args, cwd=d, env=xtb_env(), capture_output=True,
                               text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise XtbError(f"xtb {' '.join(args)}: no result after {TIMEOUT_S} s")
        if p.returncode != 0:
            tail = (p.stderr.strip().splitlines() or ["(no stderr)"])[-1]
            raise XtbError(f"xtb {' '.join(args)}: exit status {p.returncode}: {tail}")
        out = {}
        for name in want:
            path = os.path.join(d, name)
            if not os.path.exists(path):
                raise XtbError(f"xtb {' '.join(args)}: wrote no {name}")
            with open(path) as f:
                out[name] = f.read()
        return out, p.stdout
    finally:
        shutil.rmtree(d, ignore_errors=True)


def xyz_text(numbers, pos, comment=""):
    """An xyz file (Å) with every coordinate written to round-trip precision."""
    lines = [str(len(numbers)), comment]
    for z, (x, y, w) in zip(numbers, pos):
        lines.append(f"{SYMBOL[z]} {x!r} {y!r} {w!r}")
    return "\n".join(lines) + "\n"


def read_xyz(text):
    """(symbols, positions Å) of the first frame of an xyz text."""
    lines = text.splitlines()
    n = int(lines[0])
    sym, pos = [], []
    for line in lines[2:2 + n]:
        f = line.split()
        sym.append(f[0].capitalize())
        pos.append([float(v) for v in f[1:4]])
    return sym, np.array(pos)


def total_energy(stdout):
    """The '| TOTAL ENERGY ... Eh |' value of xtb's stdout (12 decimals)."""
    for line in stdout.splitlines():
        if "| TOTAL ENERGY" in line:
            return float(line.split()[3])
    raise XtbError("xtb printed no TOTAL ENERGY line")


def check_scc(stdout):
    if "convergence criteria satisfied" not in stdout:
        raise XtbError("SCC did not report convergence")
    for bad in ("SCC is not converged", "not converged", "[ERROR]"):
        if bad in stdout:
            raise XtbError(f"xtb says: {bad}")


def parse_gradient(text, n):
    """Gradient (n, 3) in Eh/bohr and energy (Eh) from a Turbomole-style gradient file."""
    lines = [l for l in text.splitlines() if l.strip()]
    i = next(k for k, l in enumerate(lines) if l.strip().startswith("cycle"))
    energy = float(lines[i].split("=")[2].split()[0])
    rows = lines[i + 1 + n:i + 1 + 2 * n]
    g = np.array([[float(v.replace("D", "E")) for v in r.split()] for r in rows])
    if g.shape != (n, 3) or not np.all(np.isfinite(g)):
        raise XtbError(f"gradient file: want {n}x3 finite numbers, got {g.shape}")
    return energy, g


def gfn2_single_point(numbers, pos, tmp_root):
    """GFN2-xTB energy (Eh) and gradient (Eh/bohr, (n,3)) of one structure (Å)."""
    files = {"in.xyz": xyz_text(numbers, pos)}
    args = ["in.xyz", "--gfn", "2", "--grad", "--chrg", "0", "--uhf", "0", "--acc", GFN2_ACC]
    out, stdout = run_xtb(args, files, tmp_root, ["gradient"])
    check_scc(stdout)
    e = total_energy(stdout)
    e_file, g = parse_gradient(out["gradient"], len(numbers))
    if abs(e - e_file) > 1e-9:
        raise XtbError(f"stdout energy {e} and gradient-file energy {e_file} disagree")
    return e, g


def gfn2_optimise(numbers, pos, tmp_root):
    """GFN2-xTB geometry optimisation (--opt tight); returns (positions Å, energy Eh)."""
    files = {"in.xyz": xyz_text(numbers, pos)}
    args = ["in.xyz", "--gfn", "2", "--opt", "tight", "--chrg", "0", "--uhf", "0", "--acc", GFN2_ACC]
    out, stdout = run_xtb(args, files, tmp_root, ["xtbopt.xyz"])
    if "GEOMETRY OPTIMIZATION CONVERGED" not in stdout:
        raise XtbError("GFN2 optimisation did not converge")
    _, p = read_xyz(out["xtbopt.xyz"])
    return p, total_energy(stdout)


def md_input(t_thermostat, time_ps, dump_fs, step_fs):
    """The $md block: Berendsen NVT at t_thermostat, natural H mass (hmass=0), no
    SHAKE, velocities dumped with every frame, start from the mdrestart we write."""
    return (f"$md\n   temp={t_thermostat:.6f}\n   time={time_ps:.6f}\n   dump={dump_fs:.6f}\n"
            f"   step={step_fs:.6f}\n   velo=true\n   nvt=true\n   hmass=0\n   shake=0\n"
            f"   restart=true\n$end\n")


def mdrestart_text(pos_ang, vel_au):
    """xtb's mdrestart: a first line, then per atom x y z (bohr) vx vy vz (bohr per
    atomic time unit), read by xtb with the Fortran format (6D22.14)."""
    lines = [" -1.0"]
    for p, v in zip(pos_ang / BOHR_ANG, vel_au):
        lines.append("".join(f"{x:22.14E}" for x in list(p) + list(v)))
    return "\n".join(lines) + "\n"


def parse_trajectory(text, n):
    """Frames of an xtb.trj written with velo=true: list of (positions Å, velocities au)."""
    lines = text.splitlines()
    frames, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        if int(lines[i]) != n:
            raise XtbError(f"xtb.trj line {i + 1}: {lines[i].strip()} atoms, want {n}")
        pos = np.array([[float(v) for v in l.split()[1:4]] for l in lines[i + 2:i + 2 + n]])
        vel = np.array([[float(v) for v in l.split()] for l in lines[i + 2 + n:i + 2 + 2 * n]])
        if pos.shape != (n, 3) or vel.shape != (n, 3):
            raise XtbError(f"xtb.trj frame at line {i + 1} is cut short")
        frames.append((pos, vel))
        i += 2 + 2 * n
    return frames


def xtb_md(method, numbers, pos, vel_au, t_thermostat, time_fs, dump_fs, step_fs, tmp_root):
    """Molecular dynamics with xtb's integrator on the GFN-FF ("gfnff") or GFN2-xTB
    ("gfn2") surface from (pos Å, vel au); frames every dump_fs from t = 0, as
    (positions Å, velocities au). Deterministic: xtb draws no random numbers when it
    restarts from our velocities, and its Berendsen thermostat is deterministic."""
    files = {"in.xyz": xyz_text(numbers, pos), "mdrestart": mdrestart_text(pos, vel_au),
             "md.inp": md_input(t_thermostat, time_fs / 1000.0, dump_fs, step_fs)}
    level = {"gfnff": ["--gfnff"], "gfn2": ["--gfn", "2", "--uhf", "0"]}[method]
    args = ["in.xyz"] + level + ["--md", "--input", "md.inp", "--chrg", "0"]
    out, stdout = run_xtb(args, files, tmp_root, ["xtb.trj"])
    if "RESTART" not in stdout:
        raise XtbError("xtb did not start the MD from our mdrestart")
    if "MD is unstable" in stdout:
        raise XtbError("xtb: MD is unstable, emergency exit")
    return parse_trajectory(out["xtb.trj"], len(numbers))


def timed(fn, *args):
    t0 = time.perf_counter()
    r = fn(*args)
    return r, time.perf_counter() - t0
