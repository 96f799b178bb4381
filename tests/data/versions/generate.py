#!/usr/bin/env python3
"""Regenerate the reference verdicts in this folder from the real tools.

    python3 tests/data/versions/generate.py            # all schemes found
    python3 tests/data/versions/generate.py dpkg rpm   # only these

Each output line is `A<TAB>B<TAB>V` where V is -1, 0 or 1: what the real
tool says about A compared with B.  The pairs are a fixed hand-picked list
followed by pseudo-random strings from a fixed seed, so a rerun with the same
tool versions rewrites the files byte for byte.  Pairs a tool rejects as a
hard error are left out (dpkg exits 2 on e.g. an empty revision; rpm refuses
an empty string).  See README.md for the tool versions used.

Tools:
  dpkg   - `dpkg --compare-versions A lt B` and `... eq B` (exit 0 = true)
  rpm    - `rpm --eval "%{lua: dofile('pairs.lua')}"` calling rpm.vercmp(a, b)
  pacman - `vercmp A B` from pacman (Debian package pacman-package-manager)
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240611
RANDOM_PAIRS = 500

# Pairs every scheme gets: the usual suspects around separators, leading
# zeros, letters against digits and end-of-string.
COMMON = [
    ("1.0", "1.0"), ("1.0", "1.0.0"), ("1.0", "1.1"), ("1.01", "1.1"),
    ("1.001", "1.1"), ("1.0a", "1.0"), ("1.0a", "1.0.1"), ("1.0a", "1.0b"),
    ("1.0.a", "1.0.1"), ("1a", "1.0"), ("a", "1"), ("abc", "abd"),
    ("1.0", "1..0"), ("1.0", "1_0"), ("1.0", "1+0"), ("1.0", "1.0."),
    ("10", "9"), ("1.10", "1.9"), ("1.2.3", "1.2.10"),
    ("123456789012345678901234567890", "123456789012345678901234567891"),
    ("00000000000000000000000001", "1"), ("2.41", "2.41.1"),
    ("2.40.4", "2.41"), ("2.41-4", "2.41.1-1"), ("2.40.4-1", "2.41-1"),
    ("2.41-1", "2.41-4"), ("2.41-10", "2.41-9"), ("1.0-1", "1.0"),
    ("1.0-0", "1.0"), ("1:1.0", "2.0"), ("2:1.0", "1:9.9"), ("0:1.0", "1.0"),
    ("1:1.0", "1:1.0"), ("01:1.0", "1:1.0"), ("1.0~rc1", "1.0"),
    ("1.0~rc1", "1.0~rc2"), ("1.0~~", "1.0~"), ("1.0~", "1.0"),
    ("1.0~rc1", "1.0.1"), ("1.0+b1", "1.0"), ("1.0+b1", "1.0.1"),
    ("1.0-1+b1", "1.0-1"), ("1.0-1ubuntu1", "1.0-1"),
    ("2.39.3-9ubuntu6", "2.41"), ("2.41-5ubuntu1", "2.41-5"),
    ("1:2.6.1-1ubuntu1.2", "2.6.1-1ubuntu1.2"), ("2.41-1.fc42", "2.41-1.fc41"),
    ("2.41-1.el9", "2.41-1.el9_3"), ("5.14.0-362.8.1.el9_3", "5.14.0-362.24.1.el9_3"),
    ("5.14.0-362.8.1.el9_3", "5.14.0-70.13.1.el9_0"), ("1.6.31-1", "1.6.31-1.1"),
    ("1.7.0-rc1", "1.7.0"), ("3.7.0", "3.8.0"), ("1.0.0", "1.0.0.0"),
    ("1.0-a", "1.0-1"), ("1.0-a", "1.0-b"), ("1.0A", "1.0a"), ("1.0Z", "1.0a"),
    ("1.0.ZZ", "1.0.aa"), ("1.0-r1", "1.0-r2"),
]

RPM_EXTRA = [
    ("1.0^", "1.0"), ("1.0^", "1.0.1"), ("1.0^git1", "1.0"), ("1.0^git1", "1.0^git2"),
    ("1.0^git1", "1.0.1"), ("1.0^git1", "1.0~rc1"), ("1.0~rc1^git1", "1.0~rc1"),
    ("1.0~rc1^git1", "1.0~rc2"), ("1.0^", "1.0^"), ("1.0^^", "1.0^"),
    ("1.0~^", "1.0~"), ("1.0^~", "1.0^"), ("1.0", "1.0^~"), ("a:1.0", "1.0"),
    ("1.0-", "1.0"), ("1.0-", "1.0-0"), (":1.0", "1.0"), ("1.0-1-2", "1.0-1"),
]

DPKG_EXTRA = [
    ("1.0", "1.0-1"), ("1.0", "1.0-0"), ("1.0~", "1.0-0"), ("1.0-1~", "1.0-1"),
    ("1.0-1~bpo1", "1.0-1"), ("1.0a", "1.0+"), ("1.0a", "1.0."), ("1.0.", "1.0+"),
    ("1.0+", "1.0-"), ("1.0~a", "1.0~b"), ("1:0", "0:1"), ("1.2-3-4", "1.2-3"),
    ("1.2-3-4", "1.2-3-5"), ("1:2:3", "1:2"), ("1:2:3-4", "1:2:3"),
    ("0:0", "0"), ("00:1", "0:1"), ("1.0.0", "1.0.0-0"), ("A", "a"), ("a", "1"),
    ("1a", "1A"), ("1.0ubuntu1", "1.0-ubuntu1"),
]

PACMAN_EXTRA = [
    ("1.0", "1.0-1"), ("1.0~rc1", "1.0"), ("1.0.a", "1.0"), ("1.0a", "1.0"),
    ("1.0.1", "1.0a"), ("1.0", "1.0.."), ("1.0..1", "1.0.1"), ("1.0^", "1.0"),
    ("1:1.0-1", "1.0-1"), ("a:1.0", "1.0"), ("1.0-", "1.0"), ("1.0-1-2", "1.0-1"),
    ("1.0-2", "1.0-1.1"), ("2.41-4", "2.41-4.1"), ("1.0alpha", "1.0"),
    ("1.0.alpha", "1.0.beta"), ("1.0.0", "1.0.a"), ("1_0", "1.0"),
]

LETTERS = "abcrxyzABZ"


def rand_body(rng, alphabet):
    """A version-looking string: mostly digit runs joined by separators."""
    parts = []
    for i in range(rng.randint(1, 5)):
        kind = rng.random()
        if kind < 0.6:
            part = str(rng.choice([0, 1, 2, 9, 10, 11, 99, 100, rng.randint(0, 300)]))
            if rng.random() < 0.1:
                part = "0" + part
        elif kind < 0.85:
            part = "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 3)))
        else:
            part = rng.choice(["rc1", "beta2", "git20240101", "el9", "fc42", "ubuntu1", "p1", "pre"])
        if i > 0:
            part = rng.choice(alphabet) + part
        parts.append(part)
    return "".join(parts)


def mutate(rng, s, alphabet):
    """A near neighbour of s, so most pairs differ late rather than at byte 0."""
    ops = rng.randint(1, 2)
    for _ in range(ops):
        op = rng.random()
        pos = rng.randint(0, len(s))
        if op < 0.3 and s:
            pos = min(pos, len(s) - 1)
            s = s[:pos] + rng.choice("0123456789" + LETTERS + alphabet) + s[pos + 1:]
        elif op < 0.55:
            s = s + rng.choice(alphabet) + rng.choice(["1", "0", "a", "rc1", "10", ""])
        elif op < 0.8:
            s = s[:pos] + rng.choice("0123456789" + LETTERS + alphabet) + s[pos:]
        elif len(s) > 1:
            pos = min(pos, len(s) - 1)
            s = s[:pos] + s[pos + 1:]
    return s


def rand_pairs(rng, alphabet, with_epoch_colon_body=False):
    out = []
    for _ in range(RANDOM_PAIRS):
        a = rand_body(rng, alphabet)
        b = mutate(rng, a, alphabet) if rng.random() < 0.7 else rand_body(rng, alphabet)
        if rng.random() < 0.15:
            a = f"{rng.randint(0, 3)}:{a}"
        if rng.random() < 0.15:
            b = f"{rng.randint(0, 3)}:{b}"
        if rng.random() < 0.3:
            r = rand_body(rng, ".~+")
            a, b = a + "-" + r, b + "-" + (mutate(rng, r, ".~+") if rng.random() < 0.7 else r)
        if with_epoch_colon_body and rng.random() < 0.05 and ":" in a:
            a = a + ":1"
        out.append((a, b))
    return out


def dedupe(pairs):
    seen, out = set(), []
    for a, b in pairs:
        if not a or not b or (a, b) in seen:
            continue
        if any(c in a + b for c in "\t\n\r%{} "):
            continue
        seen.add((a, b))
        out.append((a, b))
    return out


def dpkg_verdicts(pairs):
    def run(a, op, b):
        return subprocess.run(["dpkg", "--compare-versions", a, op, b],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    out = []
    for a, b in pairs:
        lt = run(a, "lt", b)
        if lt == 2:
            continue  # hard syntax error: dpkg refuses the pair
        if lt == 0:
            out.append((a, b, -1))
            continue
        eq = run(a, "eq", b)
        if eq == 2:
            continue
        out.append((a, b, 0 if eq == 0 else 1))
    return out


def lua_str(s):
    # Long brackets take the bytes literally; our alphabet never holds "]=]".
    return "[=[" + s + "]=]"


def rpm_verdicts(pairs):
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "pairs.lua")
        with open(script, "w") as f:
            f.write("local P = {\n")
            for a, b in pairs:
                f.write("{%s, %s},\n" % (lua_str(a), lua_str(b)))
            f.write("}\nfor _, p in ipairs(P) do\n"
                    "  io.write(p[1], '\\t', p[2], '\\t', tostring(rpm.vercmp(p[1], p[2])), '\\n')\n"
                    "end\n")
        res = subprocess.run(["rpm", "--eval", "%%{lua: dofile('%s')}" % script],
                             capture_output=True, text=True, check=True)
    out = []
    for line in res.stdout.splitlines():
        if not line:
            continue  # rpm --eval ends its output with a newline of its own
        a, b, v = line.split("\t")
        out.append((a, b, int(v)))
    if len(out) != len(pairs):
        raise SystemExit(f"rpm answered {len(out)} of {len(pairs)} pairs")
    return out


def pacman_verdicts(pairs):
    out = []
    for a, b in pairs:
        res = subprocess.run(["vercmp", a, b], capture_output=True, text=True)
        v = res.stdout.strip()
        if res.returncode != 0 or v not in ("-1", "0", "1"):
            continue
        out.append((a, b, int(v)))
    return out


def write(name, tool, rows):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        f.write(f"# {tool}; generated by generate.py (seed {SEED}); A<TAB>B<TAB>verdict of A vs B\n")
        for a, b, v in rows:
            f.write(f"{a}\t{b}\t{v}\n")
    print(f"{name}: {len(rows)} pairs")


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip().rstrip(".")
    except (OSError, IndexError):
        return "unknown"


def main():
    wanted = set(sys.argv[1:]) or {"dpkg", "rpm", "pacman"}
    if "dpkg" in wanted and shutil.which("dpkg"):
        rng = random.Random(SEED + 1)
        pairs = dedupe(COMMON + DPKG_EXTRA + rand_pairs(rng, ".+~-", True))
        write("dpkg.tsv", tool_version(["dpkg", "--version"]), dpkg_verdicts(pairs))
    if "rpm" in wanted and shutil.which("rpm"):
        rng = random.Random(SEED + 2)
        pairs = dedupe(COMMON + RPM_EXTRA + rand_pairs(rng, ".~^+_-"))
        write("rpm.tsv", tool_version(["rpm", "--version"]), rpm_verdicts(pairs))
    if "pacman" in wanted and shutil.which("vercmp"):
        rng = random.Random(SEED + 3)
        pairs = dedupe(COMMON + PACMAN_EXTRA + rand_pairs(rng, ".~^+_-"))
        ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "pacman-package-manager"],
                             capture_output=True, text=True).stdout.strip() or "unknown"
        write("pacman.tsv", f"vercmp from pacman {ver}", pacman_verdicts(pairs))


if __name__ == "__main__":
    main()
