#!/usr/bin/env python3
"""Write podmortem's hostile-input corpus into a directory.

    python3 tests/hostile/gen_corpus.py OUTDIR [--long-line-bytes N] [--bomb-bytes N] [--only NAME,...]

Python standard library only, deterministic (fixed seeds, mtime 0): the same
arguments give the same bytes. Nothing here is committed as a blob; the
`tests/hostile.rs` test runs this script into a temporary directory. Every
input is streamed to disk: the gzip bomb (GiBs once inflated) and the long
line are never held in memory.

Every input and what podmortem must do with it is listed in README.md (next
to this file). Planted content uses markers that cannot occur by chance
(`PLANTED-...`), so a test can tell bundle content from host content: the
host's `/etc/passwd` (`root:x:0:0`) and `/etc/hostname` must never appear in
a report.
"""

import argparse
import gzip
import io
import lzma
import os
import random
import struct
import sys
import tarfile
import zlib

# A real kubelet failure (rule `stale-file-handle`), journald-wrapped: one line.
FAILURE = (
    "Jun 14 09:12:03 worker-1 kubelet[2211]: E0614 09:12:03.441201    2211 "
    "nestedpendingoperations.go:348] Operation for \"{volumeName:kubernetes.io/csi/"
    "nfs.csi.k8s.io^192.168.50.210#mnt/user/nfs-csi#pvc-a8667b20-fb7f-4873-aa9d-18ec6f7fdccc## "
    "podName:9d3ce1f4-d0c8-4b5e-9994-a17e3267c57d nodeName:}\" failed. No retries permitted "
    "until 2025-06-14 09:14:05.441 +0000 UTC m=+5000.1 (durationBeforeRetry 2m2s). Error: "
    "MountVolume.SetUp failed for volume \"pvc-a8667b20-fb7f-4873-aa9d-18ec6f7fdccc\" "
    "(UniqueName: \"kubernetes.io/csi/nfs.csi.k8s.io^192.168.50.210#mnt/user/nfs-csi#"
    "pvc-a8667b20-fb7f-4873-aa9d-18ec6f7fdccc##\") pod \"sonarr-0\" (UID: "
    "\"9d3ce1f4-d0c8-4b5e-9994-a17e3267c57d\") : applyFSGroup failed for vol "
    "192.168.50.210#mnt/user/nfs-csi#pvc-a8667b20-fb7f-4873-aa9d-18ec6f7fdccc##: lstat "
    "/var/lib/kubelet/pods/9d3ce1f4-d0c8-4b5e-9994-a17e3267c57d/volumes/kubernetes.io~csi/"
    "pvc-a8667b20-fb7f-4873-aa9d-18ec6f7fdccc/mount: stale NFS file handle"
)
FAILURE_RULE = "stale-file-handle"

INFO = "Jun 14 09:12:0{} worker-1 kubelet[2211]: I0614 09:12:0{}.000000    2211 server.go:446] \"Kubelet version\" kubeletVersion=\"v1.27.3\""


def kubelet_log(extra_before=()):
    lines = [INFO.format(0, 0), INFO.format(1, 1), *extra_before, FAILURE, INFO.format(4, 4)]
    return ("\n".join(lines) + "\n").encode()


def noise_lines(n, seed):
    """Log-like text that does not compress much, so a cut lands inside it."""
    rng = random.Random(seed)
    out = io.BytesIO()
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"
    while out.tell() < n:
        out.write(b"I0614 09:12:05.000000    2211 noise.go:1] ")
        out.write(bytes(rng.choice(alphabet) for _ in range(80)))
        out.write(b"\n")
    return out.getvalue()[:n]


def info(name, data=b"", **kw):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = 0
    ti.mode = 0o644
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti


def tar_bytes(members, fmt=tarfile.GNU_FORMAT):
    """members: (TarInfo, data or None)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for ti, data in members:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def files_tar(files):
    return tar_bytes([(info(n, d), d) for n, d in files])


def entry_bytes(name, data):
    """One tar member, header and padded data, without the end-of-archive blocks."""
    return info(name, data).tobuf(format=tarfile.GNU_FORMAT) + data + bytes((-len(data)) % 512)


def gz(data, level=6):
    return gzip.compress(data, compresslevel=level, mtime=0)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# --- the inputs -----------------------------------------------------------


def empty(out):
    write(os.path.join(out, "empty.tar.gz"), b"")


def truncated(out):
    t = files_tar(
        [
            ("truncated/node-1/kubelet.log", kubelet_log()),
            ("truncated/node-1/big-1.log", noise_lines(1_500_000, 1)),
            ("truncated/node-1/big-2.log", noise_lines(1_500_000, 2)),
        ]
    )
    z = gz(t)
    # Cut inside big-1.log: well past the kubelet log, well before the end.
    write(os.path.join(out, "truncated.tar.gz"), z[: len(z) * 2 // 5])


def random_bytes(out):
    for i, name in enumerate(["random.tar.gz", "random.zip", "random.tar.xz", "random.tar.zst"]):
        rng = random.Random(100 + i)
        data = bytearray(rng.randbytes(256 * 1024))
        # Never a real magic number by chance: random, but no archive.
        data[0] = 0xA5
        write(os.path.join(out, name), bytes(data))


def crc32_combine(crc1, crc2, len2):
    """zlib's crc32_combine: the CRC of A+B from CRC(A), CRC(B) and len(B)."""

    def gf2_times(mat, vec):
        s = 0
        i = 0
        while vec:
            if vec & 1:
                s ^= mat[i]
            vec >>= 1
            i += 1
        return s

    def gf2_square(mat):
        return [gf2_times(mat, mat[n]) for n in range(32)]

    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = gf2_square(odd)
    odd = gf2_square(even)
    while True:
        even = gf2_square(odd)
        if len2 & 1:
            crc1 = gf2_times(even, crc1)
        len2 >>= 1
        if len2 == 0:
            break
        odd = gf2_square(even)
        if len2 & 1:
            crc1 = gf2_times(odd, crc1)
        len2 >>= 1
        if len2 == 0:
            break
    return crc1 ^ crc2


def crc32_repeat(crc_block, len_block, count):
    """CRC-32 of `count` copies of a block, by doubling: O(log count) combines."""
    result = 0  # the CRC of nothing
    while count:
        if count & 1:
            result = crc32_combine(result, crc_block, len_block)
        crc_block = crc32_combine(crc_block, crc_block, len_block)
        len_block *= 2
        count >>= 1
    return result


def deflate_segment(data):
    """Raw deflate of `data` ending in a full flush: it refers to nothing before
    it and nothing after it refers into it, so segments concatenate."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def write_gzip(path, pieces):
    """Write a gzip file of `pieces`: bytes, or (block, count) for `count`
    copies of `block`, deflated once and repeated. A GiB-sized stream is
    written in a second, without inflating or holding it."""
    crc, size = 0, 0
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        for piece in pieces:
            block, count = piece if isinstance(piece, tuple) else (piece, 1)
            if not block or not count:
                continue
            seg = deflate_segment(block)
            for _ in range(count):
                f.write(seg)
            crc = crc32_combine(crc, crc32_repeat(zlib.crc32(block), len(block), count), len(block) * count)
            size += len(block) * count
        f.write(zlib.compressobj(9, zlib.DEFLATED, -15, 9).flush(zlib.Z_FINISH))
        f.write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))


def bomb(out, total):
    """A .tar.gz of a few MB holding one entry of `total` zero bytes (a
    multiple of 1 MiB), followed by the two zero blocks that end a tar."""
    block = 1 << 20
    assert total % block == 0
    header = info("bomb/zeros.log")
    header.size = total
    write_gzip(
        os.path.join(out, "bomb.tar.gz"),
        [header.tobuf(format=tarfile.GNU_FORMAT), (bytes(block), total // block), bytes(1024)],
    )


def longname_bomb(out, total):
    """A GNU long-name (`L`) header whose "name" is `total` bytes: a tar
    reader that holds a long name in memory whole is made to hold GiBs."""
    marker = b"PLANTED-LONGNAME-"
    ti = tarfile.TarInfo("././@LongLink")
    ti.type = tarfile.GNUTYPE_LONGNAME
    ti.size = total
    ti.mtime = 0
    block = 1 << 20
    fill = total - len(marker) - 1
    write_gzip(
        os.path.join(out, "longname-bomb.tar.gz"),
        [
            # A good entry first: the report must still show it.
            entry_bytes("longname/node-1/kubelet.log", kubelet_log()),
            ti.tobuf(format=tarfile.GNU_FORMAT),
            marker,
            (b"a" * block, fill // block),
            b"a" * (fill % block) + b"\0" + bytes((-total) % 512),
            entry_bytes("longname/after.log", b"after\n"),
            bytes(1024),
        ],
    )


def traversal(out):
    members = [
        ("../../etc/passwd", b"PLANTED-TRAVERSAL-PASSWD\n"),
        ("/etc/shadow", b"PLANTED-ABSOLUTE-SHADOW\n"),
        ("traversal/../../../tmp/podmortem-escape", b"PLANTED-TRAVERSAL-ESCAPE\n"),
        ("traversal/node-1/kubelet.log", kubelet_log()),
    ]
    write(os.path.join(out, "traversal.tar.gz"), gz(files_tar(members)))


def links(out):
    sym = tarfile.SYMTYPE
    members = [
        (info("links/node-1/kubelet.log", kubelet_log()), kubelet_log()),
        (info("links/node-1/passwd", type=sym, linkname="/etc/passwd"), None),
        (info("links/node-1/hostname", type=sym, linkname="../../../../etc/hostname"), None),
        (info("links/node-1/loop-a", type=sym, linkname="loop-b"), None),
        (info("links/node-1/loop-b", type=sym, linkname="loop-a"), None),
        (info("links/node-1/self", type=sym, linkname="self"), None),
        (info("links/node-1/etc", type=sym, linkname="/etc"), None),
        (info("links/node-1/hard-passwd", type=tarfile.LNKTYPE, linkname="/etc/passwd"), None),
        (info("links/node-1/hard-up", type=tarfile.LNKTYPE, linkname="../../../../etc/hostname"), None),
    ]
    write(os.path.join(out, "links.tar.gz"), gz(tar_bytes(members)))
    # The same as an extracted directory.
    d = os.path.join(out, "links-dir", "node-1")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "kubelet.log"), kubelet_log())
    for name, target in [
        ("passwd", "/etc/passwd"),
        ("hostname", "../../../../../../../../etc/hostname"),
        ("loop-a", "loop-b"),
        ("loop-b", "loop-a"),
        ("self", "self"),
        ("etc", "/etc"),
        ("up", ".."),
    ]:
        p = os.path.join(d, name)
        if os.path.lexists(p):
            os.remove(p)
        os.symlink(target, p)


def long_line(out, total):
    """kubelet.log: one line of `total` bytes, no newline, the failure at its start."""
    d = os.path.join(out, "longline", "node-1")
    os.makedirs(d, exist_ok=True)
    head = (FAILURE + " ").encode()
    chunk = b"x" * (1 << 20)
    with open(os.path.join(d, "kubelet.log"), "wb") as f:
        f.write(head)
        left = total - len(head)
        while left > 0:
            n = min(left, len(chunk))
            f.write(chunk[:n])
            left -= n


def crlf_invalid_utf8(out):
    lines = [
        INFO.format(0, 0).encode(),
        b"Jun 14 09:12:01 worker-1 kubelet[2211]: W0614 09:12:01.000000    2211 x.go:1] bad \xff\xfe\xc3 bytes \xe2\x82 here",
        b"\xc0\xaf\xed\xa0\x80 not utf-8 at all \x80\x81\x82",
        FAILURE.encode() + b" \xff\xfe trailing invalid bytes",
        INFO.format(4, 4).encode() + b"\xc3",
    ]
    log = b"\r\n".join(lines) + b"\r\n"
    write(os.path.join(out, "crlf-latin1.tar.gz"), gz(files_tar([("crlf/node-1/kubelet.log", log)])))


def binary_kubelet(out):
    rng = random.Random(7)
    elf = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(44)
    body = bytearray(rng.randbytes(200_000))
    for i in range(0, len(body), 7):
        body[i] = 0
    data = elf + bytes(body)
    write(
        os.path.join(out, "binary-kubelet.tar.gz"),
        gz(files_tar([("binary/node-1/kubelet.log", data), ("binary/node-2/kubelet.log", kubelet_log())])),
    )


def nested(out, depth=30):
    inner = gz(files_tar([(f"level-{depth}/kubelet.log", b"PLANTED-DEEPEST-LEVEL\n" + kubelet_log())]))
    for level in range(depth - 1, 0, -1):
        inner = gz(
            files_tar(
                [
                    (f"level-{level}/note.log", f"PLANTED-LEVEL-{level}\n".encode()),
                    (f"level-{level}/inner.tar.gz", inner),
                ]
            )
        )
    write(os.path.join(out, "nested30.tar.gz"), inner)


def many_entries(out, count=100_000):
    """`count` entries: one kubelet log and tiny files (2 bytes each)."""
    template = bytearray(info("x", b"x\n").tobuf(format=tarfile.GNU_FORMAT))
    data = b"x\n" + bytes(510)

    def header(name):
        # Only the name and the checksum differ from the template.
        h = template[:]
        raw = name.encode()
        h[0:100] = raw + bytes(100 - len(raw))
        h[148:156] = b"        "
        h[148:156] = b"%06o\0 " % sum(h)
        return bytes(h)

    with gzip.GzipFile(os.path.join(out, "many-entries.tar.gz"), "wb", compresslevel=1, mtime=0) as g:
        g.write(entry_bytes("many/node-1/kubelet.log", kubelet_log()))
        batch = []
        for i in range(count - 1):
            batch.append(header(f"many/misc/d{i // 1000:03}/f{i:06}.txt"))
            batch.append(data)
            if len(batch) >= 2000:
                g.write(b"".join(batch))
                batch = []
        g.write(b"".join(batch))
        g.write(bytes(1024))


def lying_size(out):
    kube = kubelet_log()
    good = entry_bytes("lying/node-1/kubelet.log", kube)
    liar = info("lying/node-1/huge.log")
    liar.size = 10 << 20
    head = liar.tobuf(format=tarfile.GNU_FORMAT)
    # 2 KiB of data where 10 MiB were promised, then the file ends.
    write(os.path.join(out, "lying-size.tar"), good + head + b"PLANTED-LIAR\n" * 150)
    # A size that swallows the next header: the next entry is read as data,
    # and the walk resumes mid-data (a checksum error).
    liar2 = info("lying2/a.log")
    liar2.size = 700
    after = files_tar([("lying2/b.log", b"PLANTED-SWALLOWED\n")])
    body = b"short\n" + bytes(506)
    write(
        os.path.join(out, "lying-size-2.tar"),
        entry_bytes("lying2/node-1/kubelet.log", kube) + liar2.tobuf(format=tarfile.GNU_FORMAT) + body + after,
    )


def special(out):
    members = [
        (info("special/node-1/kubelet.log", kubelet_log()), kubelet_log()),
        (info("special/node-1/fifo", type=tarfile.FIFOTYPE), None),
        (info("special/node-1/zero", type=tarfile.CHRTYPE, devmajor=1, devminor=5), None),
        (info("special/node-1/sda", type=tarfile.BLKTYPE, devmajor=8, devminor=0), None),
    ]
    write(os.path.join(out, "special.tar"), tar_bytes(members))
    d = os.path.join(out, "special-dir", "node-1")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "kubelet.log"), kubelet_log())
    fifo = os.path.join(d, "kubelet-fifo.log")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)


GENERATORS = {
    "empty": lambda out, a: empty(out),
    "truncated": lambda out, a: truncated(out),
    "random": lambda out, a: random_bytes(out),
    "bomb": lambda out, a: bomb(out, a.bomb_bytes),
    "longname-bomb": lambda out, a: longname_bomb(out, a.longname_bytes),
    "traversal": lambda out, a: traversal(out),
    "links": lambda out, a: links(out),
    "long-line": lambda out, a: long_line(out, a.long_line_bytes),
    "crlf": lambda out, a: crlf_invalid_utf8(out),
    "binary": lambda out, a: binary_kubelet(out),
    "nested": lambda out, a: nested(out),
    "many": lambda out, a: many_entries(out, a.many),
    "lying": lambda out, a: lying_size(out),
    "special": lambda out, a: special(out),
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--long-line-bytes", type=int, default=300 * 1000 * 1000)
    p.add_argument("--bomb-bytes", type=int, default=5 << 30)
    p.add_argument("--longname-bytes", type=int, default=1 << 30)
    p.add_argument("--many", type=int, default=100_000)
    p.add_argument("--only", default="", help="comma-separated generator names")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    only = [x for x in a.only.split(",") if x]
    for name, gen in GENERATORS.items():
        if only and name not in only:
            continue
        gen(a.out, a)
    unknown = set(only) - set(GENERATORS)
    if unknown:
        sys.exit(f"unknown generator(s): {', '.join(sorted(unknown))}")


if __name__ == "__main__":
    main()
