"""Gateway versions side by side, in interleaved rounds: for a shared, noisy machine.

    python benchmarks/gateway/compare.py [--rounds 5] [--seconds 4] [NAME=SOURCE_DIR ...]

`run.py` measures each row once, one after the other; on a machine whose speed drifts by a factor
of two within minutes (a shared 2-core VM) the rows of one run are then not comparable.  Here every
row (the upstream, the thin pass-through, and each Clearance version with the audit on and off) is
measured once per round, rounds alternate, and the table gives medians, with the per-round ratios
to the pass-through so the spread is visible.  A version is a source tree (`git worktree add
--detach /tmp/old HEAD~3` gives one): its `src` goes first on PYTHONPATH of its gateways.  With no
version named, the installed package is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from run import CLEARANCE, HERE, PYTHON, free_port, prepare_home, require_wrk, wait_ready, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("versions", nargs="*", help="NAME=SOURCE_DIR (a checkout whose src/ is measured)")
    args = parser.parse_args()
    require_wrk()
    versions = [tuple(v.split("=", 1)) for v in args.versions] or [("installed", "")]
    processes: list[subprocess.Popen[bytes]] = []
    up, thin = free_port(), free_port()
    rows: list[tuple[str, str, str | None]] = [
        ("upstream", f"http://127.0.0.1:{up}/v1/chat/completions", None),
        ("thin", f"http://127.0.0.1:{thin}/v1/chat/completions", None)]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            processes.append(subprocess.Popen([PYTHON, str(HERE / "upstream.py"), str(up)]))
            processes.append(subprocess.Popen([PYTHON, str(HERE / "passthrough.py"), str(thin),
                                               f"http://127.0.0.1:{up}"]))
            for name, source in versions:
                path = {"PYTHONPATH": str(Path(source).resolve() / "src")} if source else {}
                home, key, env = prepare_home(Path(tmp) / name, up, None)
                env = {**env, **path, "CLEARANCE_HOME": str(home)}
                for label, flags in ((name, []), (f"{name}, audit off", ["--no-audit"])):
                    port = free_port()
                    processes.append(subprocess.Popen([CLEARANCE, "serve", "--port", str(port), *flags], env=env))
                    wait_ready(f"http://127.0.0.1:{port}/readyz")
                    rows.append((label, f"http://127.0.0.1:{port}/v1/chat/completions", key))
            for _, url, credential in rows:
                wrk(url, 4, 2, credential)  # warm up
            measured: dict[tuple[str, int], list[tuple[float, float]]] = {
                (n, c): [] for n, _, _ in rows for c in (1, 16)}
            for _ in range(args.rounds):
                for connections in (1, 16):
                    for name, url, credential in rows:
                        measured[(name, connections)].append(wrk(url, connections, args.seconds, credential))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=15)
    median = {k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v)) for k, v in measured.items()}
    print(f"\nmedians of {args.rounds} interleaved rounds, {args.seconds} s each, wrk -t1, loopback\n")
    print(f"{'row':<24} {'req/s c=1':>10} {'p50 ms c=1':>11} {'req/s c=16':>11} {'p50 ms c=16':>12}")
    for name, _, _ in rows:
        (r1, p1), (r16, p16) = median[(name, 1)], median[(name, 16)]
        print(f"{name:<24} {r1:>10.0f} {p1:>11.3f} {r16:>11.0f} {p16:>12.3f}")
    direct, thin_rps = median[("upstream", 1)][1], median[("thin", 16)][0]
    print()
    for name, _, _ in rows[2:]:
        ratios = [round(a[0] / b[0], 2) for a, b in zip(measured[(name, 16)], measured[("thin", 16)], strict=True)]
        print(f"{name:<24} added p50 at c=1 {median[(name, 1)][1] - direct:.3f} ms (budget 0.6); "
              f"c=16 {median[(name, 16)][0] / thin_rps:.2f}x the pass-through (budget 0.5), by round {ratios}")


if __name__ == "__main__":
    os.chdir(HERE)
    main()
