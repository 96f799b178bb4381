#!/usr/bin/env python3
"""Build podmortem's sample bundles under samples/ (deterministic: fixed seeds, fixed timestamps, same bytes on every run).

    python3 samples/generate.py        # rewrites the sample directories, multi-attach-rwo.tar.gz and README.md

Samples (see README.md for the expected findings and the evidence lines):
  nfs-helper-missing-adhoc/       ad-hoc two-node dump, CentOS 7.9, kubelet 1.23: NFS mount helper missing on worker-02 only
  nfs-red-herring-access-denied/  ad-hoc dump, Ubuntu 22.04, kubelet 1.29: an old "helper program" event, nfs-common since
                                  installed, the current failure is "access denied by server"
  subpath-utillinux-k0s/          troubleshoot bundle of a k0s worker on Arch, util-linux 2.41-3: subPath "file exists"
  subpath-deleted-sosreport/      sosreport, CentOS 7.8, Kubernetes 1.18 + docker: subPath bind source deleted (//deleted)
  kata-peerpods-einval/           ad-hoc peer-pods dump, Kata 3.7.0 remote hypervisor: RemoveContainer EINVAL on the sandbox
  multi-attach-rwo.tar.gz         Rancher logs collector tarball of an RKE2 node: Multi-Attach of an RWO volume
  healthy-node/                   ad-hoc dump of a healthy kubeadm node: no finding expected
  must-gather-multiattach.tar.gz  OpenShift must-gather (YAML resources, gzip kubenswrapper log): Multi-Attach of an RBD volume

Where the format knowledge comes from: the klog / structured-klog dialects per kubelet release, the journald
prefixes, the logrus (containerd/docker) line format, kubectl's text/tabwriter output (`describe pod`, `get`),
/proc/self/mountinfo rows, `dpkg -l` layout and the package sets are copied (and trimmed) from the evaluation
generator in shared/eval/ (evalkit.py, kubeletlog.py, pkglists.py, generate.py). Bundle layouts (sosreport
symlinks, Rancher collector tree and tarball, troubleshoot/k0s host-collectors) follow
shared/reference/bundle-layouts.md. Failure texts are the verbatim forms of shared/reference/signatures.md
with only hosts, UIDs, container ids, paths and timestamps changed. Nothing here imports shared/: this file
must keep working when shared/ moves. Standard library only.
"""
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import sys
import tarfile
import tempfile

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
D = dt.datetime
ms = lambda n: dt.timedelta(milliseconds=n)
sec = lambda n: dt.timedelta(seconds=n)
jt = lambda r, a, b: dt.timedelta(microseconds=r.randint(a * 1000, b * 1000))  # a..b ms with microsecond jitter

ALNUM_K8S = "bcdfghjklmnpqrstvwxz2456789"


# ====================================================================== ids (evalkit.R)
class R(random.Random):
    """Seeded source for ids; every sample has its own seed."""

    def hexid(self, n=64):
        return "".join(self.choice("0123456789abcdef") for _ in range(n))

    def uuid(self):
        h = self.hexid(32)
        h = h[:12] + "4" + h[13:16] + self.choice("89ab") + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def sfx(self, n=5):
        return "".join(self.choice(ALNUM_K8S) for _ in range(n))


# ====================================================================== klog / logrus / journald (evalkit)
def klog(sev, t, pid, src, msg):
    """klog header: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg"""
    return f"{sev}{t:%m%d %H:%M:%S}.{t.microsecond:06d} {pid:>7} {src}] {msg}"


def goq(s):
    """Go %q of a plain string (enough for log text: backslash and double quote escaped)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Raw:
    def __init__(self, s):
        self.s = s


def sl(msg, **kv):
    """structured klog message: "msg" key="value" ... (strings quoted, Raw values as is)"""
    parts = [goq(msg)]
    for k, v in kv.items():
        k = k.rstrip("_")
        if isinstance(v, Raw):
            parts.append(f"{k}={v.s}")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            parts.append(f"{k}={v}")
        else:
            parts.append(f"{k}={goq(str(v))}")
    return " ".join(parts)


def go_time(t, mono_s):
    ns = (t.microsecond * 7) % 1000
    return f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond:06d}{ns:03d} +0000 UTC m=+{mono_s:.6f}{(ns * 3 + 411) % 1000:03d}"


def go_duration(s):
    if s < 1:
        return f"{int(round(s * 1000))}ms"
    m, s = divmod(int(s), 60)
    return f"{m}m{s}s" if m else f"{s}s"


def jprefix(t, host, unit, pid):
    """journalctl short format prefix"""
    return f"{t:%b %d %H:%M:%S} {host} {unit}[{pid}]: "


def logrus_val(v):
    v = str(v)
    if v == "" or any(c in v for c in ' "=\\'):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return v


def ctrd(t, level, msg, tz="Z", **kv):
    """containerd / dockerd logrus text line (RFC3339 with nanoseconds)."""
    ns = (t.microsecond * 1000) + (t.second * 37 + t.microsecond) % 1000
    s = f'time="{t:%Y-%m-%dT%H:%M:%S}.{ns:09d}{tz}" level={level} msg={logrus_val(msg) if msg else chr(34) * 2}'
    for k, v in kv.items():
        s += f" {k.rstrip('_')}={logrus_val(v)}"
    return s


# ====================================================================== kubectl text output (evalkit)
def human_duration(seconds):
    """apimachinery duration.HumanDuration, as kubectl prints ages"""
    s = int(seconds)
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    m = s // 60
    if m < 10:
        return f"{m}m{s % 60}s" if s % 60 else f"{m}m"
    if m < 180:
        return f"{m}m"
    h = m // 60
    if h < 8:
        return f"{h}h{m % 60}m" if m % 60 else f"{h}h"
    if h < 48:
        return f"{h}h"
    if h < 24 * 8:
        return f"{h // 24}d{h % 24}h" if h % 24 else f"{h // 24}d"
    return f"{h // 24}d"


def tabwrite(text, padding=2, minwidth=0):
    """Go text/tabwriter (padchar ' ', no flags) as kubectl uses it; a line without a cell in a column ends that
    column's block, so rows after a multi-line event message are aligned on their own, as in real output."""
    lines = text.split("\n")
    cells = [ln.split("\t") for ln in lines]
    widths = [dict() for _ in lines]

    def fmt(col, l0, l1):
        i = l0
        while i < l1:
            if len(cells[i]) - 1 <= col:
                i += 1
                continue
            j, width = i, minwidth
            while j < l1 and len(cells[j]) - 1 > col:
                width = max(width, len(cells[j][col]) + padding)
                j += 1
            for k in range(i, j):
                widths[k][col] = width
            fmt(col + 1, i, j)
            i = j

    fmt(0, 0, len(lines))
    out = []
    for n, row in enumerate(cells):
        out.append("".join(c.ljust(widths[n][i]) for i, c in enumerate(row[:-1])) + row[-1])
    return "\n".join(out)


def table(rows, padding=3, minwidth=6):
    """kubectl get output"""
    return tabwrite("\n".join("\t".join(r) for r in rows) + "\n", padding=padding, minwidth=minwidth)


class Event:
    def __init__(self, typ, reason, message, first, last=None, count=1, source="kubelet"):
        self.typ, self.reason, self.message = typ, reason, message
        self.first, self.last, self.count, self.source = first, last or first, count, source


class EventLog:
    """client-go's EventCorrelator for one object: an identical message bumps the count; from the 10th distinct
    message of one reason within 10 minutes on, events are combined into one '(combined from similar events): '
    event carrying the latest message."""

    def __init__(self):
        self.events, self.agg = {}, {}

    def emit(self, t, typ, reason, msg, source="kubelet"):
        akey = (typ, reason, source)
        keys, last = self.agg.get(akey, ({}, None))
        if last is not None and (t - last).total_seconds() > 600:
            keys = {}
        keys[msg] = True
        self.agg[akey] = (keys, t)
        if len(keys) < 10:
            key, text = akey + (msg,), msg
        else:
            del keys[next(iter(keys))]
            key, text = akey + ("<combined>",), "(combined from similar events): " + msg
        e = self.events.get(key)
        if e:
            e.count, e.last, e.message = e.count + 1, t, text
        else:
            self.events[key] = Event(typ, reason, text, t, t, 1, source)

    def list(self):
        return list(self.events.values())


def describe_events(events, now):
    if not events:
        return "Events:\t<none>\n"
    out = "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n"
    for e in sorted(events, key=lambda e: e.last):
        first = human_duration((now - e.first).total_seconds())
        age = f"{human_duration((now - e.last).total_seconds())} (x{e.count} over {first})" if e.count > 1 else first
        out += f"  {e.typ}\t{e.reason}\t{age}\t{e.source}\t{e.message.strip()}\n"
    return out


def rfc1123z(t):
    return f"{t:%a, %d %b %Y %H:%M:%S} +0000"


def describe_pod(p, now, kver):
    """kubectl describe pod (describe.go field order); kver = kubectl minor version"""
    b = io.StringIO()
    w = b.write
    w(f"Name:\t{p['name']}\n")
    w(f"Namespace:\t{p['ns']}\n")
    w(f"Priority:\t{p.get('priority', 0)}\n")
    if kver >= 21:
        w(f"Service Account:\t{p.get('sa', 'default')}\n")
    w(f"Node:\t{p['node']}/{p['host_ip']}\n")
    w(f"Start Time:\t{rfc1123z(p['start'])}\n")
    for title in ("Labels", "Annotations"):
        items = p.get(title.lower()) or []
        if not items:
            w(f"{title}:\t<none>\n")
        else:
            w(f"{title}:\t{items[0]}\n")
            for x in items[1:]:
                w(f"\t{x}\n")
    w(f"Status:\t{p['phase']}\n")
    w(f"IP:\t{p.get('ip', '')}\n")
    if p.get("ip"):
        w("IPs:\n")
        w(f"  IP:\t{p['ip']}\n")
    else:
        w("IPs:\t<none>\n")
    w(f"Controlled By:\t{p['controlled_by']}\n")
    w("Containers:\n")
    for c in p["containers"]:
        w(f"  {c['name']}:\n")
        w(f"    Container ID:\t{c.get('cid', '')}\n")
        w(f"    Image:\t{c['image']}\n")
        w(f"    Image ID:\t{c.get('image_id', '')}\n")
        w(f"    Port:\t{c.get('port', '<none>')}\n")
        w(f"    Host Port:\t{c.get('host_port', '<none>')}\n")
        for line in c["state"]:
            w(line + "\n")
        w(f"    Ready:\t{c.get('ready', 'False')}\n")
        w(f"    Restart Count:\t{c.get('restarts', 0)}\n")
        for title in ("Limits", "Requests"):
            res = c.get(title.lower())
            if res:
                w(f"    {title}:\n")
                for k, v in res:
                    w(f"      {k}:\t{v}\n")
        for kind, probe in c.get("probes", []):
            w(f"    {kind}:\t{probe}\n")
        env = c.get("env") or []
        if not env:
            w("    Environment:\t<none>\n")
        else:
            w("    Environment:\n")
            for k, v in env:
                w(f"      {k}:\t{v}\n")
        w("    Mounts:\n")
        for path, vol, flags in sorted(c["mounts"]):
            w(f"      {path} from {vol} ({flags})\n")
    w("Conditions:\n  Type\tStatus\n")
    for typ, st in p["conditions"]:
        w(f"  {typ} \t{st} \n")
    w("Volumes:\n")
    for name, kind, v in p["volumes"]:
        w(f"  {name}:\n")
        if kind == "nfs":
            w("    Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
              f"    Server:\t{v['server']}\n    Path:\t{v['path']}\n    ReadOnly:\t{v.get('ro', 'false')}\n")
        elif kind == "configmap":
            w("    Type:\tConfigMap (a volume populated by a ConfigMap)\n"
              f"    Name:\t{v['name']}\n    Optional:\t{v.get('optional', 'false')}\n")
        elif kind == "secret":
            w("    Type:\tSecret (a volume populated by a Secret)\n"
              f"    SecretName:\t{v['name']}\n    Optional:\t{v.get('optional', 'false')}\n")
        elif kind == "pvc":
            w("    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
              f"    ClaimName:\t{v['claim']}\n    ReadOnly:\t{v.get('ro', 'false')}\n")
        elif kind == "projected":
            w("    Type:\tProjected (a volume that contains injected data from multiple sources)\n"
              "    TokenExpirationSeconds:\t3607\n"
              "    ConfigMapName:\tkube-root-ca.crt\n    ConfigMapOptional:\t<nil>\n"
              "    DownwardAPI:\ttrue\n")
        else:
            raise ValueError(kind)
    w(f"QoS Class:\t{p['qos']}\n")
    w("Node-Selectors:\t<none>\n")
    op = " op=Exists" if kver >= 18 else ""
    w(f"Tolerations:\tnode.kubernetes.io/not-ready:NoExecute{op} for 300s\n")
    w(f"\tnode.kubernetes.io/unreachable:NoExecute{op} for 300s\n")
    return tabwrite(b.getvalue()) + tabwrite(describe_events(p["events"], now))


# ====================================================================== mountinfo (evalkit)
class MountInfo:
    def __init__(self, start_id, r, first_peer=40, first_anon=40):
        self.next, self.rows, self.r, self._peer, self._anon = start_id, [], r, first_peer, first_anon

    def peer(self):
        self._peer += self.r.randint(1, 4)
        return f"shared:{self._peer}"

    def anon(self):
        self._anon += self.r.randint(1, 6)
        return f"0:{self._anon}"

    def add(self, parent, majmin, root, mp, opts, optional, fstype, source, superopts):
        mid = self.next
        self.next += 1
        self.rows.append(f"{mid} {parent} {majmin} {root} {mp} {opts}{(' ' + optional) if optional else ''} - {fstype} {source} {superopts}")
        return mid

    def text(self):
        return "\n".join(self.rows) + "\n"


def el7_base(mi, rootdev, bootdev="/dev/sda1"):
    """/proc/self/mountinfo head of an EL7 host (3.10 kernel, cgroup v1, xfs on LVM) -- generate.py el7_base"""
    a = mi.add
    mi.next = 18
    a(41, "0:17", "/", "/sys", "rw,nosuid,nodev,noexec,relatime", "shared:6", "sysfs", "sysfs", "rw,seclabel")
    a(41, "0:3", "/", "/proc", "rw,nosuid,nodev,noexec,relatime", "shared:5", "proc", "proc", "rw")
    a(41, "0:5", "/", "/dev", "rw,nosuid", "shared:2", "devtmpfs", "devtmpfs", "rw,seclabel,size=8118452k,nr_inodes=2029613,mode=755")
    a(18, "0:16", "/", "/sys/kernel/security", "rw,nosuid,nodev,noexec,relatime", "shared:7", "securityfs", "securityfs", "rw")
    a(20, "0:18", "/", "/dev/shm", "rw,nosuid,nodev", "shared:3", "tmpfs", "tmpfs", "rw,seclabel")
    a(20, "0:12", "/", "/dev/pts", "rw,nosuid,noexec,relatime", "shared:4", "devpts", "devpts", "rw,seclabel,gid=5,mode=620,ptmxmode=000")
    a(41, "0:19", "/", "/run", "rw,nosuid,nodev", "shared:22", "tmpfs", "tmpfs", "rw,seclabel,mode=755")
    a(18, "0:20", "/", "/sys/fs/cgroup", "ro,nosuid,nodev,noexec", "shared:8", "tmpfs", "tmpfs", "ro,seclabel,mode=755")
    a(25, "0:21", "/", "/sys/fs/cgroup/systemd", "rw,nosuid,nodev,noexec,relatime", "shared:9", "cgroup", "cgroup",
      "rw,seclabel,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd")
    a(18, "0:22", "/", "/sys/fs/pstore", "rw,nosuid,nodev,noexec,relatime", "shared:20", "pstore", "pstore", "rw")
    for i, c in enumerate(["net_cls,net_prio", "cpu,cpuacct", "memory", "blkio", "hugetlb", "freezer", "pids", "cpuset",
                           "devices", "perf_event"]):
        opts = ",".join(reversed(c.split(","))) if "," in c else c
        a(25, f"0:{23 + i}", "/", f"/sys/fs/cgroup/{c}", "rw,nosuid,nodev,noexec,relatime", f"shared:{10 + i}", "cgroup", "cgroup",
          f"rw,seclabel,{opts}")
    mi.next = 39
    a(18, "0:33", "/", "/sys/kernel/config", "rw,relatime", "shared:21", "configfs", "configfs", "rw")
    mi.next = 41
    a(1, "253:0", "/", "/", "rw,relatime", "shared:1", "xfs", rootdev, "rw,seclabel,attr2,inode64,noquota")
    a(18, "0:15", "/", "/sys/fs/selinux", "rw,relatime", "shared:23", "selinuxfs", "selinuxfs", "rw")
    a(19, "0:35", "/", "/proc/sys/fs/binfmt_misc", "rw,relatime", "shared:24", "autofs", "systemd-1",
      "rw,fd=31,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=13868")
    a(18, "0:6", "/", "/sys/kernel/debug", "rw,relatime", "shared:25", "debugfs", "debugfs", "rw")
    a(20, "0:36", "/", "/dev/hugepages", "rw,relatime", "shared:26", "hugetlbfs", "hugetlbfs", "rw,seclabel")
    a(20, "0:14", "/", "/dev/mqueue", "rw,relatime", "shared:27", "mqueue", "mqueue", "rw,seclabel")
    a(41, "8:1", "/", "/boot", "rw,relatime", "shared:28", "xfs", bootdev, "rw,seclabel,attr2,inode64,noquota")
    return 41, 24  # ids of / and /run


def jammy_base(mi):
    """/proc/self/mountinfo head of an Ubuntu 22.04 host (5.15, cgroup v2, ext4 on LVM) -- generate.py pub02"""
    a = mi.add
    a(29, "0:22", "/", "/sys", "rw,nosuid,nodev,noexec,relatime", "shared:7", "sysfs", "sysfs", "rw")
    a(29, "0:23", "/", "/proc", "rw,nosuid,nodev,noexec,relatime", "shared:13", "proc", "proc", "rw")
    a(29, "0:5", "/", "/dev", "rw,nosuid,relatime", "shared:2", "devtmpfs", "udev", "rw,size=8117620k,nr_inodes=2029405,mode=755,inode64")
    a(26, "0:24", "/", "/dev/pts", "rw,nosuid,noexec,relatime", "shared:3", "devpts", "devpts", "rw,gid=5,mode=620,ptmxmode=000")
    run = a(29, "0:25", "/", "/run", "rw,nosuid,nodev,noexec,relatime", "shared:5", "tmpfs", "tmpfs", "rw,size=1631412k,mode=755,inode64")
    root = a(1, "253:0", "/", "/", "rw,relatime", "shared:1", "ext4", "/dev/mapper/ubuntu--vg-ubuntu--lv", "rw")
    a(24, "0:6", "/", "/sys/kernel/security", "rw,nosuid,nodev,noexec,relatime", "shared:8", "securityfs", "securityfs", "rw")
    a(26, "0:26", "/", "/dev/shm", "rw,nosuid,nodev", "shared:4", "tmpfs", "tmpfs", "rw,inode64")
    a(28, "0:27", "/", "/run/lock", "rw,nosuid,nodev,noexec,relatime", "shared:6", "tmpfs", "tmpfs", "rw,size=5120k,inode64")
    a(24, "0:28", "/", "/sys/fs/cgroup", "rw,nosuid,nodev,noexec,relatime", "shared:9", "cgroup2", "cgroup2", "rw,nsdelegate,memory_recursiveprot")
    a(24, "0:29", "/", "/sys/fs/pstore", "rw,nosuid,nodev,noexec,relatime", "shared:10", "pstore", "pstore", "rw")
    a(24, "0:30", "/", "/sys/fs/bpf", "rw,nosuid,nodev,noexec,relatime", "shared:11", "bpf", "bpf", "rw,mode=700")
    a(25, "0:31", "/", "/proc/sys/fs/binfmt_misc", "rw,relatime", "shared:12", "autofs", "systemd-1",
      "rw,fd=29,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=17875")
    a(26, "0:20", "/", "/dev/mqueue", "rw,nosuid,nodev,noexec,relatime", "shared:14", "mqueue", "mqueue", "rw")
    a(26, "0:32", "/", "/dev/hugepages", "rw,relatime", "shared:15", "hugetlbfs", "hugetlbfs", "rw,pagesize=2M")
    a(24, "0:7", "/", "/sys/kernel/debug", "rw,nosuid,nodev,noexec,relatime", "shared:16", "debugfs", "debugfs", "rw")
    a(24, "0:12", "/", "/sys/kernel/tracing", "rw,nosuid,nodev,noexec,relatime", "shared:17", "tracefs", "tracefs", "rw")
    a(24, "0:21", "/", "/sys/kernel/config", "rw,nosuid,nodev,noexec,relatime", "shared:19", "configfs", "configfs", "rw")
    for i, (sn, rev) in enumerate([("core20", 2264), ("lxd", 28373), ("snapd", 21465)]):
        a(root, f"7:{i}", "/", f"/snap/{sn}/{rev}", "ro,nodev,relatime", f"shared:{20 + i}", "squashfs", f"/dev/loop{i}", "ro")
    boot = a(root, "8:2", "/", "/boot", "rw,relatime", "shared:23", "ext4", "/dev/sda2", "rw")
    a(boot, "8:1", "/", "/boot/efi", "rw,relatime", "shared:24", "vfat", "/dev/sda1",
      "rw,fmask=0077,dmask=0077,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro")
    return root, run


def kubelet_tmpfs(mi, root_id, pod, opts, kroot="/var/lib/kubelet"):
    for plugin, vol in pod.volumes:
        if plugin in ("projected", "secret"):
            mi.add(root_id, mi.anon(), "/", f"{kroot}/pods/{pod.uid}/volumes/kubernetes.io~{plugin}/{vol}",
                   "rw,relatime", mi.peer(), "tmpfs", "tmpfs", opts)


def docker_pod_mounts(mi, r, docker_id, run_id, pod):
    mi.add(docker_id, mi.anon(), "/", f"/var/lib/docker/containers/{pod.sid}/mounts/shm",
           "rw,nosuid,nodev,noexec,relatime", mi.peer(), "tmpfs", "shm", "rw,seclabel,size=65536k")
    for _ in [pod.sid] + list(pod.cids.values()):
        ov = r.hexid()
        lowers = ":".join(f"/var/lib/docker/overlay2/l/{r.sfx(26).upper()}" for _ in range(r.randint(2, 5)))
        mi.add(docker_id, mi.anon(), "/", f"/var/lib/docker/overlay2/{ov}/merged", "rw,relatime", "", "overlay", "overlay",
               f"rw,seclabel,lowerdir={lowers},upperdir=/var/lib/docker/overlay2/{ov}/diff,workdir=/var/lib/docker/overlay2/{ov}/work")
    mi.add(run_id, "0:3", f"net:[{r.randint(4026532200, 4026533900)}]", f"/run/docker/netns/{r.hexid(12)}",
           "rw,nosuid,nodev,noexec,relatime", mi.peer(), "proc", "proc", "rw")


def containerd_pod_mounts(mi, r, run_id, pod):
    snap = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots"
    mi.add(run_id, mi.anon(), "/", f"/run/containerd/io.containerd.grpc.v1.cri/sandboxes/{pod.sid}/shm",
           "rw,nosuid,nodev,noexec,relatime", mi.peer(), "tmpfs", "shm", "rw,size=65536k,inode64")
    for cid in [pod.sid] + list(pod.cids.values()):
        lowers = ":".join(f"{snap}/{r.randint(3, 120)}/fs" for _ in range(r.randint(1, 4)))
        up = r.randint(121, 480)
        mi.add(run_id, mi.anon(), "/", f"/run/containerd/io.containerd.runtime.v2.task/k8s.io/{cid}/rootfs",
               "rw,relatime", mi.peer(), "overlay", "overlay", f"rw,lowerdir={lowers},upperdir={snap}/{up}/fs,workdir={snap}/{up}/work")
    mi.add(run_id, "0:4", f"net:[{r.randint(4026532200, 4026533900)}]", f"/run/netns/cni-{r.uuid()}", "rw", mi.peer(), "nsfs", "nsfs", "rw")


# ====================================================================== package lists (pkglists, trimmed)
def dpkg_l(pkgs):
    """`dpkg -l` written to a file: (state, name, version, arch, description)"""
    nw = max(len(p[1]) for p in pkgs)
    vw = max(len(p[2]) for p in pkgs)
    aw = max(12, max(len(p[3]) for p in pkgs))
    dw = max(len(p[4]) for p in pkgs)
    out = ("Desired=Unknown/Install/Remove/Purge/Hold\n"
           "| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n"
           "|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n")
    out += f"||/ {'Name':<{nw}} {'Version':<{vw}} {'Architecture':<{aw}} Description\n"
    out += f"+++-{'=' * nw}-{'=' * vw}-{'=' * aw}-{'=' * dw}\n"
    for st, n, v, a, d in sorted(pkgs, key=lambda p: p[1]):
        out += f"{st:<3} {n:<{nw}} {v:<{vw}} {a:<{aw}} {d}\n"
    return out

EL7_BASE = '''acl-2.2.51-15.el7.x86_64
audit-2.8.5-4.el7.x86_64
basesystem-10.0-7.el7.centos.noarch
bash-4.2.46-35.el7_9.x86_64
bind-libs-9.11.4-26.P2.el7_9.13.x86_64
biosdevname-0.7.3-2.el7.x86_64
centos-logos-70.0.6-3.el7.centos.noarch
centos-release-7-9.2009.1.el7.centos.x86_64
chrony-3.4-1.el7.x86_64
conntrack-tools-1.4.4-7.el7.x86_64
coreutils-8.22-24.el7_9.2.x86_64
cronie-1.4.11-25.el7_9.x86_64
curl-7.29.0-59.el7_9.1.x86_64
cyrus-sasl-lib-2.1.26-24.el7_9.x86_64
deltarpm-3.6-3.el7.x86_64
device-mapper-1.02.170-6.el7_9.5.x86_64
device-mapper-persistent-data-0.8.5-3.el7_9.2.x86_64
dmidecode-3.2-5.el7_9.1.x86_64
e2fsprogs-1.42.9-19.el7.x86_64
e2fsprogs-libs-1.42.9-19.el7.x86_64
ebtables-2.0.10-16.el7.x86_64
ethtool-4.8-10.el7.x86_64
findutils-4.5.11-6.el7.x86_64
freetype-2.8-14.el7_9.1.x86_64
gdbm-1.10-8.el7.x86_64
git-1.8.3.1-24.el7_9.x86_64
glibc-2.17-326.el7_9.x86_64
glibc-common-2.17-326.el7_9.x86_64
gnupg2-2.0.22-5.el7_5.x86_64
groff-base-1.22.2-8.el7.x86_64
grub2-tools-2.02-0.87.el7.centos.7.x86_64
gzip-1.5-11.el7_9.x86_64
hardlink-1.0-19.el7.x86_64
iotop-0.6-4.el7.noarch
iptables-1.4.21-35.el7.x86_64
iwl100-firmware-39.31.5.1-79.el7.noarch
iwl2030-firmware-18.168.6.1-79.el7.noarch
iwl5150-firmware-8.24.2.2-79.el7.noarch
iwl7260-firmware-25.30.13.0-79.el7.noarch
kbd-misc-1.15.5-15.el7.noarch
kernel-3.10.0-1160.el7.x86_64
kernel-tools-3.10.0-1160.88.1.el7.x86_64
kernel-tools-libs-3.10.0-1160.88.1.el7.x86_64
keyutils-libs-1.5.8-3.el7.x86_64
less-458-10.el7_9.x86_64
libblkid-2.23.2-65.el7_9.1.x86_64
libcroco-0.6.12-6.el7_9.x86_64
libcurl-7.29.0-59.el7_9.1.x86_64
libdnet-1.12-13.1.el7.x86_64
libevent-2.0.21-4.el7.x86_64
libfastjson-0.99.4-3.el7.x86_64
libgpg-error-1.12-3.el7.x86_64
libmodman-2.0.1-8.el7.x86_64
libmount-2.23.2-65.el7_9.1.x86_64
libnetfilter_conntrack-1.0.6-1.el7_3.x86_64
libnetfilter_cthelper-1.0.0-11.el7.x86_64
libnetfilter_cttimeout-1.0.0-7.el7.x86_64
libnetfilter_queue-1.0.2-2.el7_2.x86_64
libnl3-3.2.28-4.el7.x86_64
libpng-1.5.13-8.el7.x86_64
libselinux-2.5-15.el7.x86_64
libselinux-python-2.5-15.el7.x86_64
libsmartcols-2.23.2-65.el7_9.1.x86_64
libtasn1-4.10-1.el7.x86_64
libutempter-1.1.6-4.el7.x86_64
libuuid-2.23.2-65.el7_9.1.x86_64
libverto-0.2.5-4.el7.x86_64
libxslt-1.1.28-6.el7.x86_64
lshw-B.02.18-17.el7.x86_64
lvm2-2.02.187-6.el7_9.5.x86_64
lvm2-libs-2.02.187-6.el7_9.5.x86_64
mariadb-libs-5.5.68-1.el7.x86_64
mtr-0.85-7.el7.x86_64
net-tools-2.0-0.25.20131004git.el7.x86_64
NetworkManager-1.18.8-2.el7_9.x86_64
newt-0.52.15-4.el7.x86_64
nss-pem-1.0.3-7.el7.x86_64
nss-util-3.79.0-1.el7_9.x86_64
openssh-7.4p1-22.el7_9.x86_64
openssh-clients-7.4p1-22.el7_9.x86_64
openssh-server-7.4p1-22.el7_9.x86_64
openssl-1.0.2k-26.el7_9.x86_64
openssl-libs-1.0.2k-26.el7_9.x86_64
p11-kit-0.23.5-3.el7.x86_64
pciutils-3.5.1-3.el7.x86_64
perl-constant-1.27-2.el7.noarch
perl-File-Temp-0.23.01-3.el7.noarch
perl-libs-5.16.3-299.el7_9.x86_64
perl-podlators-2.5.1-3.el7.noarch
perl-Socket-2.010-5.el7.x86_64
perl-threads-shared-1.43-6.el7.x86_64
plymouth-core-libs-0.8.9-0.34.20140113.el7.centos.x86_64
policycoreutils-2.5-34.el7.x86_64
policycoreutils-python-2.5-34.el7.x86_64
polkit-pkla-compat-0.1-4.el7.x86_64
pth-2.0.7-23.el7.x86_64
python-backports-1.0-8.el7.x86_64
python-deltarpm-3.6-3.el7.x86_64
python-ipaddress-1.0.16-2.el7.noarch
python-pycurl-7.19.0-19.el7.x86_64
python-slip-0.4.0-4.el7.noarch
readline-6.2-11.el7.x86_64
rpm-4.11.3-48.el7_9.x86_64
rpm-libs-4.11.3-48.el7_9.x86_64
rpm-python-4.11.3-48.el7_9.x86_64
selinux-policy-3.13.1-268.el7_9.2.noarch
selinux-policy-targeted-3.13.1-268.el7_9.2.noarch
shared-mime-info-1.8-5.el7.x86_64
socat-1.7.3.2-2.el7.x86_64
sqlite-3.7.17-8.el7_7.1.x86_64
sudo-1.8.23-10.el7_9.3.x86_64
systemd-219-78.el7_9.7.x86_64
systemd-libs-219-78.el7_9.7.x86_64
systemd-sysv-219-78.el7_9.7.x86_64
tar-1.26-35.el7.x86_64
teamd-1.29-3.el7.x86_64
tuned-2.11.0-9.el7.noarch
util-linux-2.23.2-65.el7_9.1.x86_64
vim-common-7.4.629-8.el7_9.x86_64
wget-1.14-18.el7_6.1.x86_64
xfsprogs-4.5.0-22.el7.x86_64
xmlsec1-openssl-1.2.20-7.el7_4.x86_64
yum-3.4.3-168.el7.centos.noarch
yum-metadata-parser-1.1.4-10.el7.x86_64
yum-plugin-fastestmirror-1.1.31-54.el7_8.noarch
yum-plugin-versionlock-1.1.31-54.el7_8.noarch
yum-utils-1.1.31-54.el7_8.noarch'''

EL7_BASE = EL7_BASE.split('\n')

# Ubuntu 22.04 (jammy-updates, spring 2024) without Kubernetes, container runtime or NFS packages
JAMMY = [
    ('adduser', '3.118ubuntu5', 'all', 'add and remove users and groups'),
    ('apt', '2.4.12', 'amd64', 'commandline package manager'),
    ('apt-transport-https', '2.4.12', 'all', 'transitional package for https support'),
    ('apt-utils', '2.4.12', 'amd64', 'package management related utility programs'),
    ('base-files', '12ubuntu4.6', 'amd64', 'Debian base system miscellaneous files'),
    ('bash', '5.1-6ubuntu1.1', 'amd64', 'GNU Bourne Again SHell'),
    ('bash-completion', '1:2.11-5ubuntu1', 'all', 'programmable completion for the bash shell'),
    ('bind9-host', '1:9.18.18-0ubuntu0.22.04.2', 'amd64', 'DNS Lookup Utility'),
    ('busybox-static', '1:1.30.1-7ubuntu3', 'amd64', 'Standalone rescue shell with tons of builtin utilities'),
    ('cloud-init', '24.1.3-0ubuntu1~22.04.1', 'all', 'initialization and customization tool for cloud instances'),
    ('cloud-initramfs-copymods', '0.47ubuntu1', 'all', 'copy initramfs modules into root filesystem for later use'),
    ('cloud-initramfs-dyn-netconf', '0.47ubuntu1', 'all', 'write a network interface file in /run for BOOTIF'),
    ('conntrack', '1:1.4.6-2build2', 'amd64', 'Program to modify the conntrack tables'),
    ('coreutils', '8.32-4.1ubuntu1.2', 'amd64', 'GNU core utilities'),
    ('dash', '0.5.11+git20210903+057cd650a4ed-3build1', 'amd64', 'POSIX-compliant shell'),
    ('diffutils', '1:3.8-0ubuntu2', 'amd64', 'File comparison utilities'),
    ('dmsetup', '2:1.02.175-2.1ubuntu4', 'amd64', 'Linux Kernel Device Mapper userspace library'),
    ('dpkg', '1.21.1ubuntu2.3', 'amd64', 'Debian package management system'),
    ('e2fsprogs', '1.46.5-2ubuntu1.1', 'amd64', 'ext2/ext3/ext4 file system utilities'),
    ('ethtool', '1:5.16-1ubuntu0.1', 'amd64', 'display or change Ethernet device settings'),
    ('gdisk', '1.0.8-4build1', 'amd64', 'GPT fdisk text-mode partitioning tool'),
    ('gpg-agent', '2.2.27-3ubuntu2.1', 'amd64', 'GNU privacy guard - cryptographic agent'),
    ('grub-efi-amd64-signed', '1.187.6+2.06-2ubuntu14.4', 'amd64', 'GRand Unified Bootloader, version 2 (EFI-AMD64 version, signed)'),
    ('init', '1.62', 'amd64', 'metapackage ensuring an init system is installed'),
    ('iptables', '1.8.7-1ubuntu5.2', 'amd64', 'administration tools for packet filtering and NAT'),
    ('jq', '1.6-2.1ubuntu3', 'amd64', 'lightweight and flexible command-line JSON processor'),
    ('keyutils', '1.6.1-2ubuntu3', 'amd64', 'Linux Key Management Utilities'),
    ('libacl1:amd64', '2.3.1-1', 'amd64', 'access control list - shared library'),
    ('libaudit1:amd64', '1:3.0.7-1build1', 'amd64', 'Dynamic library for security auditing'),
    ('libc6:amd64', '2.35-0ubuntu3.7', 'amd64', 'GNU C Library: Shared libraries'),
    ('libcryptsetup12:amd64', '2:2.4.3-1ubuntu1.2', 'amd64', 'disk encryption support - shared library'),
    ('libdevmapper1.02.1:amd64', '2:1.02.175-2.1ubuntu4', 'amd64', 'Linux Kernel Device Mapper userspace library'),
    ('libevent-2.1-7:amd64', '2.1.12-stable-1build3', 'amd64', 'Asynchronous event notification library'),
    ('libevent-core-2.1-7:amd64', '2.1.12-stable-1build3', 'amd64', 'Asynchronous event notification library (core)'),
    ('libext2fs2:amd64', '1.46.5-2ubuntu1.1', 'amd64', 'ext2/ext3/ext4 file system libraries'),
    ('libglib2.0-0:amd64', '2.72.4-0ubuntu2.2', 'amd64', 'GLib library of C routines'),
    ('libip4tc2:amd64', '1.8.7-1ubuntu5.2', 'amd64', 'netfilter libip4tc library'),
    ('libkeyutils1:amd64', '1.6.1-2ubuntu3', 'amd64', 'Linux Key Management Utilities (library)'),
    ('libkmod2:amd64', '29-1ubuntu1', 'amd64', 'libkmod shared library'),
    ('liblzma5:amd64', '5.2.5-2ubuntu1', 'amd64', 'XZ-format compression library'),
    ('libmount1:amd64', '2.37.2-4ubuntu3.4', 'amd64', 'device mounting library'),
    ('libnettle8:amd64', '3.7.3-1build2', 'amd64', 'low level cryptographic library (symmetric and one-way cryptos)'),
    ('libnl-3-200:amd64', '3.5.0-0.1', 'amd64', 'library for dealing with netlink sockets'),
    ('libpam-modules-bin', '1.4.0-11ubuntu2.4', 'amd64', 'Pluggable Authentication Modules for PAM - helper binaries'),
    ('libpcre3:amd64', '2:8.39-13ubuntu0.22.04.1', 'amd64', 'Old Perl 5 Compatible Regular Expression Library - runtime files'),
    ('libpython3.10-stdlib:amd64', '3.10.12-1~22.04.3', 'amd64', 'Interactive high-level object-oriented language (standard library, version 3.10)'),
    ('libsepol2:amd64', '3.3-1build1', 'amd64', 'SELinux library for manipulating binary security policies'),
    ('libstdc++6:amd64', '12.3.0-1ubuntu1~22.04', 'amd64', 'GNU Standard C++ Library v3'),
    ('libtirpc-common', '1.3.2-2ubuntu0.1', 'all', 'transport-independent RPC library - common files'),
    ('libtirpc3:amd64', '1.3.2-2ubuntu0.1', 'amd64', 'transport-independent RPC library'),
    ('libudev1:amd64', '249.11-0ubuntu3.12', 'amd64', 'libudev shared library'),
    ('libyaml-0-2:amd64', '0.2.2-1build2', 'amd64', 'Fast YAML 1.1 parser and emitter library'),
    ('linux-generic', '5.15.0.105.102', 'amd64', 'Complete Generic Linux kernel and headers'),
    ('linux-headers-generic', '5.15.0.105.102', 'amd64', 'Generic Linux kernel headers'),
    ('linux-image-5.15.0-102-generic', '5.15.0-102.112', 'amd64', 'Signed kernel image generic'),
    ('linux-image-5.15.0-105-generic', '5.15.0-105.115', 'amd64', 'Signed kernel image generic'),
    ('linux-image-generic', '5.15.0.105.102', 'amd64', 'Generic Linux kernel image'),
    ('linux-modules-extra-5.15.0-105-generic', '5.15.0-105.115', 'amd64', 'Linux kernel extra modules for version 5.15.0 on 64 bit x86 SMP'),
    ('lsb-release', '11.1.0ubuntu4', 'all', 'Linux Standard Base version reporting utility'),
    ('lvm2', '2.03.11-2.1ubuntu4', 'amd64', 'Linux Logical Volume Manager'),
    ('mawk', '1.3.4.20200120-3', 'amd64', 'Pattern scanning and text processing language'),
    ('mount', '2.37.2-4ubuntu3.4', 'amd64', 'tools for mounting and manipulating filesystems'),
    ('multipath-tools', '0.8.8-1ubuntu1.22.04.4', 'amd64', 'maintain multipath block device access'),
    ('ncurses-base', '6.3-2ubuntu0.1', 'all', 'basic terminal type definitions'),
    ('netplan.io', '0.106.1-7ubuntu0.22.04.2', 'amd64', 'YAML network configuration abstraction for various backends'),
    ('open-iscsi', '2.1.5-1ubuntu1.1', 'amd64', 'iSCSI initiator tools'),
    ('openssh-client', '1:8.9p1-3ubuntu0.7', 'amd64', 'secure shell (SSH) client, for secure access to remote machines'),
    ('openssh-server', '1:8.9p1-3ubuntu0.7', 'amd64', 'secure shell (SSH) server, for secure access from remote machines'),
    ('openssh-sftp-server', '1:8.9p1-3ubuntu0.7', 'amd64', 'secure shell (SSH) sftp server module, for SFTP access from remote machines'),
    ('passwd', '1:4.8.1-2ubuntu2.2', 'amd64', 'change and administer password and group data'),
    ('perl-modules-5.34', '5.34.0-3ubuntu1.3', 'all', 'Core Perl modules'),
    ('procps', '2:3.3.17-6ubuntu2.1', 'amd64', '/proc file system utilities'),
    ('python3-certifi', '2020.6.20-1', 'all', 'root certificates for validating SSL certs and verifying TLS hosts (python3)'),
    ('python3-gi', '3.42.1-0ubuntu1', 'amd64', 'Python 3 bindings for gobject-introspection libraries'),
    ('python3-netifaces', '0.11.0-1build2', 'amd64', 'portable network interface information - Python 3.x'),
    ('python3-urllib3', '1.26.5-1~exp1ubuntu0.1', 'all', 'HTTP library with thread-safe connection pooling for Python3'),
    ('rsync', '3.2.7-0ubuntu0.22.04.2', 'amd64', 'fast, versatile, remote (and local) file-copying tool'),
    ('snapd', '2.61.3+22.04', 'amd64', 'Daemon and tooling that enable snap packages'),
    ('socat', '1.7.4.1-3ubuntu4', 'amd64', 'multipurpose relay for bidirectional data transfer'),
    ('strace', '5.16-0ubuntu3', 'amd64', 'System call tracer'),
    ('sudo', '1.9.9-1ubuntu2.4', 'amd64', 'Provide limited super user privileges to specific users'),
    ('systemd', '249.11-0ubuntu3.12', 'amd64', 'system and service manager'),
    ('systemd-sysv', '249.11-0ubuntu3.12', 'amd64', 'system and service manager - SysV links'),
    ('systemd-timesyncd', '249.11-0ubuntu3.12', 'amd64', 'minimalistic service to synchronize local time with NTP servers'),
    ('tar', '1.34+dfsg-1ubuntu0.1.22.04.2', 'amd64', 'GNU version of the tar archiving utility'),
    ('tzdata', '2024a-0ubuntu0.22.04', 'all', 'time zone and daylight-saving time data'),
    ('ubuntu-advantage-tools', '31.2~22.04', 'amd64', 'transitional dummy package for ubuntu-pro-client'),
    ('ubuntu-keyring', '2021.03.26', 'all', 'GnuPG keys of the Ubuntu archive'),
    ('ubuntu-minimal', '1.481.1', 'amd64', 'Minimal core of Ubuntu'),
    ('ubuntu-server', '1.481.1', 'amd64', 'The Ubuntu Server system'),
    ('ubuntu-standard', '1.481.1', 'amd64', 'The Ubuntu standard system'),
    ('ucf', '3.0043', 'all', 'Update Configuration File(s): preserve user changes to config files'),
    ('udev', '249.11-0ubuntu3.12', 'amd64', '/dev/ and hotplug management daemon'),
    ('util-linux', '2.37.2-4ubuntu3.4', 'amd64', 'miscellaneous system utilities'),
    ('vim', '2:8.2.3995-1ubuntu2.16', 'amd64', 'Vi IMproved - enhanced vi editor'),
    ('xauth', '1:1.1-1build2', 'amd64', 'X authentication utility'),
    ('zerofree', '1.1.1-1build3', 'amd64', 'zero free blocks from ext2, ext3 and ext4 file-systems'),
]
JAMMY_RC = [
    ("linux-image-5.15.0-97-generic", "5.15.0-97.107", "amd64", "Signed kernel image generic"),
    ("linux-modules-5.15.0-97-generic", "5.15.0-97.107", "amd64", "Linux kernel extra modules for version 5.15.0 on 64 bit x86 SMP"),
]
JAMMY_NFS = [
    ("keyutils", "1.6.1-2ubuntu3", "amd64", "Linux Key Management Utilities"),
    ("libnfsidmap1:amd64", "1:2.6.1-1ubuntu1.2", "amd64", "NFS idmapping library"),
    ("nfs-common", "1:2.6.1-1ubuntu1.2", "amd64", "NFS support files common to client and server"),
    ("rpcbind", "1.2.6-2build1", "amd64", "converts RPC program numbers into universal addresses"),
]


def jammy_kube(minor, patch, ctrd_ver="1.6.31-1"):
    return [("containerd.io", ctrd_ver, "amd64", "An open and reliable container runtime"),
            ("cri-tools", f"1.{minor}.0-1.1", "amd64", "Command-line utility for interacting with a container runtime"),
            ("kubeadm", f"1.{minor}.{patch}-1.1", "amd64", "Command-line utility for administering a Kubernetes cluster"),
            ("kubectl", f"1.{minor}.{patch}-1.1", "amd64", "Command-line utility for interacting with a Kubernetes cluster"),
            ("kubelet", f"1.{minor}.{patch}-1.1", "amd64", "Node agent for Kubernetes clusters"),
            ("kubernetes-cni", "1.3.0-1.1", "amd64", "Binaries required to provision kubernetes container networking")]


# ====================================================================== files
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write(text if text.endswith("\n") else text + "\n")


def symlink(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.remove(path)
    os.symlink(target, path)


def first_line(path, needle):
    """1-based number of the first line containing needle (for README evidence pointers)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if needle in line:
                return n
    raise SystemExit(f"generate.py: {needle!r} not found in {path}")


def pack_tgz(src_root, top, out, mtime):
    """tar.gz as `tar -czf out -C src_root .` makes it (entries ./, ./<top>/...), sorted, owner root, fixed mtime."""
    entries = [(".", src_root)]
    for dp, dns, fns in os.walk(os.path.join(src_root, top)):
        dns.sort()
        rel = "./" + os.path.relpath(dp, src_root)
        entries.append((rel, dp))
        for fn in sorted(fns):
            entries.append((rel + "/" + fn, os.path.join(dp, fn)))
    entries.sort(key=lambda e: e[0])
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for arc, full in entries:
            ti = tf.gettarinfo(full, arcname=arc)
            if arc == ".":
                ti.name = "./"
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            ti.mtime = mtime
            if ti.issym():
                ti.mode = 0o777
                tf.addfile(ti)
            elif ti.isdir():
                ti.mode = 0o755
                tf.addfile(ti)
            else:
                ti.mode = 0o644
                with open(full, "rb") as f:
                    tf.addfile(ti, f)
    with open(out, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=mtime) as g:
            g.write(raw.getvalue())


# ====================================================================== kubelet lines per release (kubeletlog.py)
# minor < 20: free-text klog; 20..26: early structured logging (Go structs &{...}, named strings unquoted);
# >= 27: current structured logging (JSON values, every string quoted). file:line tags follow the release roughly.
PLUGIN = {"projected": "kubernetes.io/projected", "configmap": "kubernetes.io/configmap", "secret": "kubernetes.io/secret",
          "emptydir": "kubernetes.io/empty-dir", "hostpath": "kubernetes.io/host-path", "nfs": "kubernetes.io/nfs",
          "csi": "kubernetes.io/csi"}


class Pod:
    def __init__(self, r, ns, name, volumes, containers, ip=None, token=None, probe=None):
        self.ns, self.name = ns, name
        self.uid = r.uuid()
        self.sid = r.hexid()
        self.containers = list(containers)
        self.cids = {c: r.hexid() for c in self.containers}
        self.token = token or ("projected", "kube-api-access-" + r.sfx())
        self.volumes = [self.token] + list(volumes)
        self.ip = ip or f"10.244.{r.randint(1, 9)}.{r.randint(2, 250)}"
        self.probe = probe

    @property
    def ref(self):
        return f"{self.ns}/{self.name}"

    @property
    def legacy(self):
        return f"{self.name}_{self.ns}({self.uid})"

    def uniq(self, plugin, vol):
        return f"{PLUGIN[plugin]}/{self.uid}-{vol}"


class Kubelet:
    def __init__(self, r, node, pid, minor, runtime, started, root="/var/lib/kubelet"):
        self.r, self.node, self.pid, self.minor, self.runtime = r, node, pid, minor, runtime
        self.k = 17 if minor < 20 else (23 if minor < 27 else 29)
        self.started, self.root = started, root
        self.lines = []

    def add(self, t, sev, src, msg):
        self.lines.append((t, len(self.lines), klog(sev, t, self.pid, src, msg)))

    def add_text(self, t, text):
        self.lines.append((t, len(self.lines), text))

    def timed(self):
        return [(t, x) for t, _, x in sorted(self.lines, key=lambda e: (e[0], e[1]))]

    def text(self):
        return "\n".join(x for _, x in self.timed())

    def mono(self, t):
        return (t - self.started).total_seconds() + 0.731

    def boot(self, t, rows):
        for sev, src, msg in rows:
            t += dt.timedelta(microseconds=self.r.randint(200, 30000))
            self.add(t, sev, src, msg)
        return t

    def _pods(self, pods):
        if self.k == 29:
            return Raw("[" + ",".join(goq(p.ref) for p in pods) + "]")
        return Raw("[" + " ".join(p.ref for p in pods) + "]")

    def syncloop(self, t, op, pods):
        src = {17: {"ADD": "kubelet.go:1900", "UPDATE": "kubelet.go:1913", "DELETE": "kubelet.go:1916", "REMOVE": "kubelet.go:1910"},
               23: {"ADD": "kubelet.go:2064", "UPDATE": "kubelet.go:2071", "DELETE": "kubelet.go:2080", "REMOVE": "kubelet.go:2074"},
               29: {"ADD": "kubelet.go:2415", "UPDATE": "kubelet.go:2422", "DELETE": "kubelet.go:2431", "REMOVE": "kubelet.go:2425"}}
        if self.k == 17:
            self.add(t, "I", src[17][op], f'SyncLoop ({op}, "api"): "' + ", ".join(p.legacy for p in pods) + '"')
        else:
            self.add(t, "I", src[self.k][op], sl(f"SyncLoop {op}", source="api", pods=self._pods(pods)))

    def pleg(self, t, pod, typ, data):
        if self.k == 17:
            self.add(t, "I", "kubelet.go:1947", f'SyncLoop (PLEG): "{pod.legacy}", event: &pleg.PodLifecycleEvent{{ID:"{pod.uid}", Type:"{typ}", Data:"{data}"}}')
        elif self.k == 23:
            self.add(t, "I", "kubelet.go:2096", sl("SyncLoop (PLEG): event for pod", pod=pod.ref,
                                                  event=Raw(f"&{{ID:{pod.uid} Type:{typ} Data:{data}}}")))
        else:
            self.add(t, "I", "kubelet.go:2462", sl("SyncLoop (PLEG): event for pod", pod=pod.ref,
                                                  event=Raw('{"ID":"%s","Type":"%s","Data":"%s"}' % (pod.uid, typ, data))))

    def volmsg(self, t, what, pod, plugin, vol):
        detail = f'for volume "{vol}" (UniqueName: "{pod.uniq(plugin, vol)}") pod "{pod.name}" (UID: "{pod.uid}") '
        src = {"verify": {17: "reconciler.go:209", 23: "reconciler.go:221", 29: "reconciler_common.go:258"},
               "mount": {17: "reconciler.go:254", 23: "reconciler.go:258", 29: "reconciler_common.go:231"},
               "ok": {17: "operation_generator.go:663", 23: "operation_generator.go:756", 29: "operation_generator.go:721"}}[what][self.k]
        text = {"verify": "operationExecutor.VerifyControllerAttachedVolume started",
                "mount": "operationExecutor.MountVolume started", "ok": "MountVolume.SetUp succeeded"}[what]
        if self.k == 17:
            self.add(t, "I", src, f"{text} {detail}")
        else:
            self.add(t, "I", src, sl(f"{text} {detail}", pod=pod.ref))

    def pod_start(self, t, pod, skip=(), containers=True, sandbox_msg="No sandbox"):
        r = self.r
        if self.k == 29:
            self.add(t, "I", "topology_manager.go:215", sl("Topology Admit Handler", podUID=pod.uid, podNamespace=pod.ns, podName=pod.name))
        elif self.k == 23:
            self.add(t, "I", "topology_manager.go:200", sl("Topology Admit Handler"))
        t += dt.timedelta(microseconds=r.randint(40000, 110000))
        for plugin, vol in pod.volumes:
            t += dt.timedelta(microseconds=r.randint(200, 3000))
            self.volmsg(t, "verify", pod, plugin, vol)
        t += dt.timedelta(microseconds=r.randint(90000, 110000))
        for plugin, vol in pod.volumes:
            t += dt.timedelta(microseconds=r.randint(200, 2500))
            self.volmsg(t, "mount", pod, plugin, vol)
        for plugin, vol in pod.volumes:
            if vol in skip:
                continue
            t += dt.timedelta(microseconds=r.randint(600, 9000))
            self.volmsg(t, "ok", pod, plugin, vol)
        if not containers:
            return t
        t += dt.timedelta(microseconds=r.randint(90000, 400000))
        if self.k == 17:
            self.add(t, "I", "kuberuntime_manager.go:422", f'{sandbox_msg} for pod "{pod.legacy}" can be found. Need to start a new one')
        elif self.k == 23:
            self.add(t, "I", "kuberuntime_manager.go:484", sl(f"{sandbox_msg} for pod can be found. Need to start a new one", pod=pod.ref))
        else:
            self.add(t, "I", "util.go:30", sl(f"{sandbox_msg} for pod can be found. Need to start a new one", pod=pod.ref))
        t += dt.timedelta(microseconds=r.randint(700000, 2400000))
        self.pleg(t, pod, "ContainerStarted", pod.sid)
        for c in pod.containers:
            t += dt.timedelta(microseconds=r.randint(300000, 1900000))
            self.pleg(t, pod, "ContainerStarted", pod.cids[c])
        return t

    def pod_complete_and_delete(self, t, pod):
        r = self.r
        for c in pod.containers:
            self.pleg(t, pod, "ContainerDied", pod.cids[c])
            t += dt.timedelta(microseconds=r.randint(300000, 900000))
        self.pleg(t, pod, "ContainerDied", pod.sid)
        t += dt.timedelta(seconds=r.randint(2, 20), microseconds=r.randint(0, 999999))
        self.syncloop(t, "DELETE", [pod])
        t += dt.timedelta(microseconds=r.randint(5000, 40000))
        self.syncloop(t, "REMOVE", [pod])
        for plugin, vol in pod.volumes:
            t += dt.timedelta(microseconds=r.randint(30000, 120000))
            u = pod.uniq(plugin, vol)
            um = f'operationExecutor.UnmountVolume started for volume "{vol}" (UniqueName: "{u}") pod "{pod.uid}" (UID: "{pod.uid}") '
            if self.k == 17:
                self.add(t, "I", "reconciler.go:196", um)
            else:
                self.add(t, "I", "reconciler.go:192" if self.k == 23 else "reconciler_common.go:161", sl(um))
            t += dt.timedelta(microseconds=r.randint(3000, 30000))
            src = {17: "operation_generator.go:788", 23: "operation_generator.go:910", 29: "operation_generator.go:887"}[self.k]
            self.add(t, "I", src, f'UnmountVolume.TearDown succeeded for volume "{u}" (OuterVolumeSpecName: "{vol}") pod "{pod.uid}" '
                                  f'(UID: "{pod.uid}"). InnerVolumeSpecName "{vol}". PluginName "{PLUGIN[plugin]}", VolumeGidValue ""')
            t += dt.timedelta(microseconds=r.randint(60000, 130000))
            det = f'Volume detached for volume "{vol}" (UniqueName: "{u}") on node "{self.node}" DevicePath ""'
            if self.k == 17:
                self.add(t, "I", "reconciler.go:319", det)
            else:
                self.add(t, "I", "reconciler.go:300" if self.k == 23 else "reconciler_common.go:300", sl(det))
        t += dt.timedelta(seconds=r.randint(1, 3), microseconds=r.randint(0, 999999))
        if self.k != 17:
            uid = pod.uid if self.k == 29 else Raw(pod.uid)
            self.add(t, "I", "kubelet_volumes.go:160" if self.k == 23 else "kubelet_volumes.go:163",
                     sl("Cleaned up orphaned pod volumes dir", podUID=uid, path=f"{self.root}/pods/{pod.uid}/volumes"))
        for cid in [pod.sid] + list(pod.cids.values()):
            t += dt.timedelta(microseconds=r.randint(10000, 150000))
            if self.k == 17:
                self.add(t, "W", "pod_container_deletor.go:75", f'Container "{cid}" not found in pod\'s containers')
            else:
                self.add(t, "I", "scope.go:110" if self.k == 23 else "scope.go:117", sl("RemoveContainer", containerID=cid))
        return t

    def cron(self, t0, t1, ns, base, every_min, volumes, containers):
        r = self.r
        t = t0
        while t < t1:
            p = Pod(r, ns, f"{base}-{int(t.timestamp() // 60)}-{r.sfx()}", volumes, containers)
            self.syncloop(t, "ADD", [p])
            te = self.pod_start(t + dt.timedelta(microseconds=r.randint(1000, 5000)), p)
            tf = te + dt.timedelta(seconds=r.randint(6, 40), microseconds=r.randint(0, 999999))
            if tf + dt.timedelta(seconds=40) < t1:
                self.pod_complete_and_delete(tf, p)
            t += dt.timedelta(minutes=every_min, seconds=r.randint(0, 3), microseconds=r.randint(0, 999999))

    def noise(self, t0, t1, pods, every=(20, 120)):
        r = self.r
        t = t0
        probed = [x for x in pods if x.probe]
        while True:
            t += dt.timedelta(seconds=r.randint(*every), microseconds=r.randint(0, 999999))
            if t >= t1:
                break
            k = r.random()
            p = r.choice(pods)
            if k < 0.24 and probed:
                q = r.choice(probed)
                self.probe_fail(t, q, q.containers[0])
            elif k < 0.55:
                self.syncloop(t, "UPDATE", [p])
            else:
                self.runtime_noise(t, pods)

    def probe_fail(self, t, p, c):
        r = self.r
        path, port = p.probe.split(":")
        url = f"http://{p.ip}:{port}{path}"
        if self.k == 17:
            self.add(t, "I", "prober.go:116", f'Readiness probe for "{p.legacy}:{c}" failed (failure): Get {url}: net/http: request canceled (Client.Timeout exceeded while awaiting headers)')
            return
        out = f'Get "{url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
        if self.k == 23:
            self.add(t, "I", "prober.go:121", sl("Probe failed", probeType="Readiness", pod=p.ref, podUID=Raw(p.uid), containerName=c,
                                                 probeResult=Raw("failure"), output=out))
            src = "kubelet.go:2174"
        else:
            self.add(t, "I", "prober.go:107", sl("Probe failed", probeType="Readiness", pod=p.ref, podUID=p.uid, containerName=c,
                                                 probeResult="failure", output=out))
            src = "kubelet.go:2528"
        t2 = t + dt.timedelta(microseconds=r.randint(5000, 60000))
        self.add(t2, "I", src, sl("SyncLoop (probe)", probe="readiness", status="", pod=p.ref))
        t3 = t2 + dt.timedelta(seconds=r.randint(10, 30), microseconds=r.randint(0, 999999))
        self.add(t3, "I", src, sl("SyncLoop (probe)", probe="readiness", status="ready", pod=p.ref))

    def runtime_noise(self, t, pods):
        if self.k == 17:
            svc = "/system.slice/docker.service" if self.runtime == "docker" else "/system.slice/containerd.service"
            self.add(t, "E", "summary_sys_containers.go:47",
                     f'Failed to get system container stats for "{svc}": failed to get cgroup stats for "{svc}": failed to get container info for "{svc}": unknown container "{svc}"')
        elif self.runtime == "docker":
            svc = "/system.slice/docker.service"
            self.add(t, "E", "summary_sys_containers.go:48",
                     sl("Failed to get system container stats",
                        err=f'failed to get cgroup stats for "{svc}": failed to get container info for "{svc}": unknown container "{svc}"',
                        containerName=svc))
        else:
            self.add(t, "E", "dns.go:153", sl("Nameserver limits exceeded",
                                              err="Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: " + self.nameservers))

    nameservers = "10.0.0.2 10.0.0.3 1.1.1.1"

    def mount_failure(self, t, pod, plugin, vol, cmd, args, output, delay):
        """mount-utils' multi-line klog error (one empty line after it), then nestedpendingoperations with the same text"""
        uq = pod.uniq(plugin, vol)
        src = {17: "mount_linux.go:150", 23: "mount_linux.go:184", 29: "mount_linux.go:282"}[self.k]
        body = f"Mounting command: {cmd}\nMounting arguments: {args}\nOutput: {output}"
        self.add_text(t, klog("E", t, self.pid, src, "Mount failed: exit status 32") + "\n" + body)
        t2 = t + dt.timedelta(microseconds=self.r.randint(90, 400))
        nxt = t2 + dt.timedelta(seconds=delay)
        src = "nestedpendingoperations.go:335" if self.k == 23 else "nestedpendingoperations.go:348"
        err = (f'MountVolume.SetUp failed for volume "{vol}" (UniqueName: "{uq}") pod "{pod.name}" (UID: "{pod.uid}") : '
               f"mount failed: exit status 32\n{body}")
        self.add_text(t2, klog("E", t2, self.pid, src,
                               f'Operation for "{{volumeName:{uq} podName:{pod.uid} nodeName:}}" failed. No retries permitted until '
                               f"{go_time(nxt, self.mono(nxt))} (durationBeforeRetry {go_duration(delay)}). Error: {err}")[:-1])
        return nxt

    def mount_timeout(self, t, pod, unmounted, unattached, tail):
        lists = f"unmounted volumes=[{' '.join(unmounted)}], unattached volumes=[{' '.join(unattached)}]"
        if self.minor >= 26:
            lists += ", failed to process volumes=[]"
        err = f"{lists}: {tail}"
        if self.k == 29:
            self.add(t, "E", "kubelet.go:2059" if self.minor >= 29 else "kubelet.go:1985",
                     sl("Unable to attach or mount volumes for pod; skipping pod", err=err, pod=pod.ref))
            self.add(t + dt.timedelta(microseconds=77), "E", "pod_workers.go:1298" if self.minor >= 29 else "pod_workers.go:1294",
                     sl("Error syncing pod, skipping", err=err, pod=pod.ref, podUID=pod.uid))
        else:
            self.add(t, "E", "kubelet.go:1711", sl("Unable to attach or mount volumes for pod; skipping pod", err=err, pod=pod.ref))
            self.add(t + dt.timedelta(microseconds=81), "E", "pod_workers.go:918",
                     sl("Error syncing pod, skipping", err=err, pod=pod.ref, podUID=Raw(pod.uid)))
        return err


def retry_delays():
    """kubelet's exponential backoff for a failing volume operation: 500ms doubling up to 2m2s"""
    d = 0.5
    while True:
        yield d
        d = min(d * 2, 122)


# util-linux 2.23 (CentOS/RHEL 7) when mount(8) finds no /sbin/mount.nfs: kubernetes#30310, kubeadm-dind-cluster#242 (verbatim)
OLD_HELPER_MISSING = ("mount: wrong fs type, bad option, bad superblock on {src},\n"
                      "       missing codepage or helper program, or other error\n"
                      "       (for several filesystems (e.g. nfs, cifs) you might\n"
                      "       need a /sbin/mount.<type> helper program)\n"
                      "\n"
                      "       In some cases useful info is found in syslog - try\n"
                      "       dmesg | tail or so.\n")
# util-linux >= 2.33: kubernetes-sigs/provider-aws-test-infra#232 (verbatim)
NEW_HELPER_MISSING = "mount: {tgt}: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n"
# mount.nfs refused by the export: nfs-subdir-external-provisioner#188, kubernetes#108963 (verbatim)
ACCESS_DENIED = "mount.nfs: access denied by server while mounting {src}\n"

CENTOS7_OS_RELEASE = ('NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\n'
                      'PRETTY_NAME="CentOS Linux 7 (Core)"\nANSI_COLOR="0;31"\nCPE_NAME="cpe:/o:centos:centos:7"\n'
                      'HOME_URL="https://www.centos.org/"\nBUG_REPORT_URL="https://bugs.centos.org/"\n\n'
                      'CENTOS_MANTISBT_PROJECT="CentOS-7"\nCENTOS_MANTISBT_PROJECT_VERSION="7"\nREDHAT_SUPPORT_PRODUCT="centos"\n'
                      'REDHAT_SUPPORT_PRODUCT_VERSION="7"\n')
JAMMY_OS_RELEASE = ('PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\n'
                    'VERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\n'
                    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\n'
                    'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=jammy\n')


def boot_rows_23(node, kver, dockerv):
    """kubelet 1.23 start-up with dockershim (generate.py pub01, shortened)"""
    return [
        ("I", "server.go:446", f'"Kubelet version" kubeletVersion="{kver}"'),
        ("I", "server.go:874", '"Client rotation is on, will bootstrap in background"'),
        ("I", "certificate_store.go:130", 'Loading cert/key pair from "/var/lib/kubelet/pki/kubelet-client-current.pem".'),
        ("I", "dynamic_cafile_content.go:156", '"Starting controller" name="client-ca-bundle::/etc/kubernetes/pki/ca.crt"'),
        ("I", "server.go:693", '"--cgroups-per-qos enabled, but --cgroup-root was not specified.  defaulting to /"'),
        ("I", "kubelet.go:313", '"Using dockershim is deprecated, please consider using a full-fledged CRI implementation"'),
        ("I", "client.go:80", '"Connecting to docker on the dockerEndpoint" endpoint="unix:///var/run/docker.sock"'),
        ("I", "docker_service.go:258", '"Docker cri networking managed by the network plugin" networkPluginName="cni"'),
        ("I", "docker_service.go:279", '"Setting cgroupDriver" cgroupDriver="systemd"'),
        ("I", "kubelet.go:416", '"Attempting to sync node with API server"'),
        ("I", "kubelet.go:278", '"Adding static pod path" path="/etc/kubernetes/manifests"'),
        ("I", "kubelet.go:289", '"Adding apiserver pod source"'),
        ("I", "kuberuntime_manager.go:249", f'"Container runtime initialized" containerRuntime="docker" version="{dockerv}" apiVersion="1.41.0"'),
        ("I", "server.go:1231", '"Started kubelet"'),
        ("I", "server.go:150", '"Starting to listen" address="0.0.0.0" port=10250'),
        ("E", "kubelet.go:1351", '"Image garbage collection failed once. Stats initialization may not have completed yet" '
                                 'err="failed to get imageFs info: unable to find data in memory cache"'),
        ("I", "volume_manager.go:291", '"Starting Kubelet Volume Manager"'),
        ("I", "desired_state_of_world_populator.go:147", '"Desired state populator starts to run"'),
        ("I", "kubelet.go:1977", '"Starting kubelet main sync loop"'),
        ("E", "kubelet.go:2001", '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, '
                                 'PLEG is not healthy: pleg has yet to be successful]"'),
        ("I", "kubelet_node_status.go:70", f'"Attempting to register node" node="{node}"'),
        ("I", "kubelet_node_status.go:108", f'"Node was previously registered" node="{node}"'),
        ("I", "kubelet_node_status.go:73", f'"Successfully registered node" node="{node}"'),
        ("I", "cpu_manager.go:213", '"Starting CPU manager" policy="none"'),
        ("I", "plugin_manager.go:114", '"Starting Kubelet Plugin Manager"'),
    ]


def boot_rows_29(node, kver, runtime, rtver, root="/var/lib/kubelet", ca="/etc/kubernetes/pki/ca.crt"):
    """kubelet 1.27+ start-up with a CRI runtime (generate.py pub02, shortened)"""
    return [
        ("I", "server.go:487", f'"Kubelet version" kubeletVersion="{kver}"'),
        ("I", "server.go:489", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
        ("I", "server.go:919", '"Client rotation is on, will bootstrap in background"'),
        ("I", "certificate_store.go:130", f'Loading cert/key pair from "{root}/pki/kubelet-client-current.pem".'),
        ("I", "dynamic_cafile_content.go:157", f'"Starting controller" name="client-ca-bundle::{ca}"'),
        ("I", "server.go:745", '"--cgroups-per-qos enabled, but --cgroup-root was not specified.  defaulting to /"'),
        ("I", "kubelet.go:396", '"Attempting to sync node with API server"'),
        ("I", "kubelet.go:307", '"Adding apiserver pod source"'),
        ("I", "kuberuntime_manager.go:258", f'"Container runtime initialized" containerRuntime="{runtime}" version="{rtver}" apiVersion="v1"'),
        ("I", "server.go:1256", '"Started kubelet"'),
        ("I", "server.go:162", '"Starting to listen" address="0.0.0.0" port=10250'),
        ("I", "fs_resource_analyzer.go:67", '"Starting FS ResourceAnalyzer"'),
        ("I", "volume_manager.go:291", '"Starting Kubelet Volume Manager"'),
        ("I", "desired_state_of_world_populator.go:151", '"Desired state populator starts to run"'),
        ("I", "kubelet.go:2329", '"Starting kubelet main sync loop"'),
        ("E", "kubelet.go:2353", '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, '
                                 'PLEG is not healthy: pleg has yet to be successful]"'),
        ("I", "kubelet_node_status.go:73", f'"Attempting to register node" node="{node}"'),
        ("I", "kubelet_node_status.go:112", f'"Node was previously registered" node="{node}"'),
        ("I", "kubelet_node_status.go:76", f'"Successfully registered node" node="{node}"'),
        ("I", "cpu_manager.go:214", '"Starting CPU manager" policy="none"'),
        ("I", "plugin_manager.go:118", '"Starting Kubelet Plugin Manager"'),
    ]


# ====================================================================== 1. nfs-helper-missing-adhoc
EL7_KUBE_123 = ["kubeadm-1.23.17-0.x86_64", "kubectl-1.23.17-0.x86_64", "kubelet-1.23.17-0.x86_64", "kubernetes-cni-1.2.0-0.x86_64",
                "cri-tools-1.26.0-0.x86_64", "docker-ce-20.10.24-1.el7.x86_64", "docker-ce-cli-20.10.24-1.el7.x86_64",
                "containerd.io-1.6.20-3.1.el7.x86_64", "container-selinux-2.119.2-1.911c772.el7_8.noarch",
                "kernel-3.10.0-1160.88.1.el7.x86_64", "gpg-pubkey-f4a80eb5-53a7ff4b", "gpg-pubkey-621e9f35-58adea78",
                "gpg-pubkey-3e1ba8d5-558ab6a8"]
# nfs-utils and what yum pulls in with it on a minimal CentOS 7.9
EL7_NFS = ["nfs-utils-1.3.0-0.68.el7.2.x86_64", "libnfsidmap-0.25-19.el7.x86_64", "rpcbind-0.2.0-49.el7.x86_64",
           "keyutils-1.5.8-3.el7.x86_64", "gssproxy-0.7.0-30.el7_9.x86_64", "libtirpc-0.2.4-0.16.el7.x86_64",
           "quota-4.01-19.el7.x86_64", "quota-nls-4.01-19.el7.noarch", "libverto-libevent-0.2.5-4.el7.x86_64",
           "libini_config-1.3.1-32.el7.x86_64", "libbasicobjects-0.1.1-32.el7.x86_64", "libcollection-0.7.0-32.el7.x86_64",
           "libpath_utils-0.2.1-32.el7.x86_64", "libref_array-0.1.5-32.el7.x86_64", "tcp_wrappers-7.6-77.el7.x86_64"]


def rpm_qa(r, extra):
    names = set()
    out = []
    for n in list(EL7_BASE) + list(extra):
        key = n.rsplit("-", 2)[0]
        if key in names and not key.startswith(("kernel", "gpg-pubkey")):
            continue
        names.add(key)
        out.append(n)
    r.shuffle(out)  # rpm -qa prints in rpmdb order, not sorted
    return "\n".join(out)


def el7_node_pods(r, ip):
    return [
        Pod(r, "kube-system", "kube-proxy-" + r.sfx(), [("configmap", "kube-proxy"), ("hostpath", "xtables-lock"), ("hostpath", "lib-modules")],
            ["kube-proxy"], ip=ip),
        Pod(r, "kube-system", "calico-node-" + r.sfx(), [("hostpath", "var-run-calico"), ("hostpath", "cni-bin-dir"), ("hostpath", "cni-net-dir")],
            ["calico-node"], ip=ip),
        Pod(r, "monitoring", "node-exporter-" + r.sfx(), [("hostpath", "proc"), ("hostpath", "sys")], ["node-exporter"], ip=ip),
    ]


def build_nfs_helper_missing(S):
    r = R(1101)
    server, export = "10.20.0.15", "/export/invoices"
    src = f"{server}:{export}"
    t0 = D(2023, 9, 12, 9, 2, 14, 118230)
    t_sched = D(2023, 9, 12, 9, 31, 7, 402113)
    nodes = {"worker-01": "10.20.1.21", "worker-02": "10.20.1.22"}
    out = {}

    # ---- worker-01: healthy, has nfs-utils, mounts the same export for invoice-api
    node, ip = "worker-01", nodes["worker-01"]
    kl = Kubelet(r, node, 1174, 23, "docker", t0)
    t = kl.boot(t0, boot_rows_23(node, "v1.23.17", "20.10.24"))
    pods = el7_node_pods(r, ip)
    api = Pod(r, "billing", "invoice-api-7b9c6d5f8-" + r.sfx(), [("nfs", "invoice-archive"), ("configmap", "invoice-api-config")],
              ["invoice-api"], probe="/ready:8080")
    pods.append(api)
    t += ms(402)
    kl.syncloop(t, "ADD", pods)
    for p in pods:
        t = kl.pod_start(t + jt(r, 50, 600), p)
    t_end1 = t_sched + sec(733)
    kl.noise(t + sec(20), t_end1, pods, every=(90, 240))
    kl.cron(D(2023, 9, 12, 9, 15, 0, 412087), t_end1, "billing", "ledger-sync", 15, [("secret", "ledger-db")], ["sync"])
    W1 = os.path.join(S, node)
    write(os.path.join(W1, "kubelet.log"), kl.text())
    write(os.path.join(W1, "rpm-qa.txt"), rpm_qa(r, EL7_KUBE_123 + EL7_NFS))
    write(os.path.join(W1, "os-release"), CENTOS7_OS_RELEASE)
    write(os.path.join(W1, "hostname"), node)
    mi = MountInfo(18, r, first_peer=30, first_anon=38)
    root, run = el7_base(mi, "/dev/mapper/centos-root")
    dock = mi.add(root, "253:2", "/", "/var/lib/docker", "rw,relatime", "shared:29", "xfs", "/dev/mapper/vg_data-docker",
                  "rw,seclabel,attr2,inode64,prjquota")
    for p in pods:
        kubelet_tmpfs(mi, root, p, "rw,seclabel")
        if p is api:
            mi.add(root, mi.anon(), "/", f"/var/lib/kubelet/pods/{api.uid}/volumes/kubernetes.io~nfs/invoice-archive", "rw,relatime",
                   mi.peer(), "nfs4", src, f"rw,vers=4.1,rsize=524288,wsize=524288,namlen=255,hard,proto=tcp,timeo=600,retrans=2,"
                                           f"sec=sys,clientaddr={ip},local_lock=none,addr={server}")
        docker_pod_mounts(mi, r, dock, run, p)
    mi.add(run, mi.anon(), "/", "/run/user/0", "rw,nosuid,nodev,relatime", mi.peer(), "tmpfs", "tmpfs", "rw,seclabel,size=1626112k,mode=700")
    write(os.path.join(W1, "mountinfo"), mi.text())

    # ---- worker-02: rebuilt from a minimal image, no nfs-utils; invoice-export-0 is rescheduled here
    node, ip = "worker-02", nodes["worker-02"]
    kl = Kubelet(r, node, 1208, 23, "docker", t0)
    t = kl.boot(t0 + ms(911), boot_rows_23(node, "v1.23.17", "20.10.24"))
    pods = el7_node_pods(r, ip)
    pods.append(Pod(r, "billing", "pdf-renderer-58f7d9c6b-" + r.sfx(), [("configmap", "renderer-fonts")], ["pdf-renderer"],
                    probe="/healthz:8081"))
    t += ms(377)
    kl.syncloop(t, "ADD", pods)
    for p in pods:
        t = kl.pod_start(t + jt(r, 50, 600), p)

    exp = Pod(r, "billing", "invoice-export-0", [("nfs", "invoice-archive"), ("configmap", "export-templates")], ["exporter"])
    tgt = f"/var/lib/kubelet/pods/{exp.uid}/volumes/kubernetes.io~nfs/invoice-archive"
    args = f"--description=Kubernetes transient mount for {tgt} --scope -- mount -t nfs {src} {tgt}"
    # attempt times first: the bundle is cut ~40 s after a failed attempt so that the combined FailedMount event
    # (client-go aggregates from the 10th distinct message on; systemd-run's scope name makes every message distinct)
    # carries the helper text
    t_add = t_sched + ms(33)
    tp = kl.pod_start(t_add + ms(1), exp, skip=("invoice-archive",), containers=False)
    attempts, ta = [], tp + jt(r, 20, 60)
    for delay in retry_delays():
        tf = ta + jt(r, 25, 70)
        attempts.append((ta, tf, delay))
        ta = tf + dt.timedelta(microseconds=250) + sec(delay) + jt(r, 40, 110)
        if len(attempts) > 16:
            break
    timeouts, tw = [], t_add + sec(123) + jt(r, 5, 40)
    while tw < attempts[-1][1]:
        timeouts.append(tw)
        tw += sec(123) + jt(r, 200, 3000)
    k = 12
    nxt_to = min(x for x in timeouts if x > attempts[k][1])
    t_end = min(attempts[k][1] + sec(40), nxt_to - sec(1))
    now = t_end + sec(6) + ms(311)
    kl.noise(t + sec(20), t_end, pods, every=(70, 200))
    kl.cron(D(2023, 9, 12, 9, 5, 0, 301554), t_end, "billing", "fx-rates-sync", 20, [("secret", "fx-api-key")], ["sync"])
    kl.syncloop(t_add, "ADD", [exp])
    ev = EventLog()
    ev.emit(t_sched, "Normal", "Scheduled", f"Successfully assigned billing/invoice-export-0 to {node}", source="default-scheduler")
    vols = ["invoice-archive", "export-templates", exp.token[1]]
    emissions = [(tf, "fail", (ta, delay)) for ta, tf, delay in attempts[:k + 1]] + [(x, "timeout", None) for x in timeouts if x < t_end]
    scope = 31544
    for tf, what, extra in sorted(emissions, key=lambda e: e[0]):
        if what == "timeout":
            err = kl.mount_timeout(tf, exp, ["invoice-archive"], vols, "timed out waiting for the condition")
            ev.emit(tf, "Warning", "FailedMount", "Unable to attach or mount volumes: " + err)
            continue
        ta, delay = extra
        if ta > tp + sec(1):
            kl.volmsg(ta, "mount", exp, "nfs", "invoice-archive")
        o = f"Running scope as unit run-{scope}.scope.\n" + OLD_HELPER_MISSING.format(src=src)
        kl.mount_failure(tf, exp, "nfs", "invoice-archive", "systemd-run", args, o, delay)
        ev.emit(tf, "Warning", "FailedMount", f'MountVolume.SetUp failed for volume "invoice-archive" : mount failed: exit status 32\n'
                                              f"Mounting command: systemd-run\nMounting arguments: {args}\nOutput: {o}")
        scope += r.randint(4, 60)
    W2 = os.path.join(S, node)
    write(os.path.join(W2, "kubelet.log"), kl.text())
    write(os.path.join(W2, "rpm-qa.txt"), rpm_qa(r, EL7_KUBE_123))
    write(os.path.join(W2, "os-release"), CENTOS7_OS_RELEASE)
    write(os.path.join(W2, "hostname"), node)
    mi = MountInfo(18, r, first_peer=30, first_anon=38)
    root, run = el7_base(mi, "/dev/mapper/centos-root")
    dock = mi.add(root, "253:2", "/", "/var/lib/docker", "rw,relatime", "shared:29", "xfs", "/dev/mapper/vg_data-docker",
                  "rw,seclabel,attr2,inode64,prjquota")
    for p in pods:
        kubelet_tmpfs(mi, root, p, "rw,seclabel")
        docker_pod_mounts(mi, r, dock, run, p)
    kubelet_tmpfs(mi, root, exp, "rw,seclabel")
    mi.add(run, mi.anon(), "/", "/run/user/0", "rw,nosuid,nodev,relatime", mi.peer(), "tmpfs", "tmpfs", "rw,seclabel,size=1626112k,mode=700")
    write(os.path.join(W2, "mountinfo"), mi.text())

    pod = dict(name="invoice-export-0", ns="billing", sa="invoice-export", node=node, host_ip=ip, start=t_sched + ms(36),
               labels=["app.kubernetes.io/name=invoice-export", "controller-revision-hash=invoice-export-5d6c8b9f47",
                       "statefulset.kubernetes.io/pod-name=invoice-export-0"],
               phase="Pending", ip="", controlled_by="StatefulSet/invoice-export",
               containers=[dict(name="exporter", image="registry.corp.example/billing/invoice-export:4.2.1", port="8080/TCP",
                                host_port="0/TCP", state=["    State:\tWaiting", "      Reason:\tContainerCreating"],
                                limits=[("memory", "768Mi")], requests=[("cpu", "250m"), ("memory", "512Mi")],
                                env=[("EXPORT_DIR", "/srv/invoices"), ("TZ", "Europe/Vienna")],
                                mounts=[("/srv/invoices", "invoice-archive", "rw"), ("/etc/exporter", "export-templates", "ro"),
                                        ("/var/run/secrets/kubernetes.io/serviceaccount", exp.token[1], "ro")])],
               conditions=[("Initialized", "True"), ("Ready", "False"), ("ContainersReady", "False"), ("PodScheduled", "True")],
               volumes=[("invoice-archive", "nfs", dict(server=server, path=export)),
                        ("export-templates", "configmap", dict(name="export-templates")), (exp.token[1], "projected", {})],
               qos="Burstable", events=ev.list())
    dp = os.path.join(S, "describe-pod-invoice-export-0.txt")
    write(dp, describe_pod(pod, now, 23))
    combined = [e for e in ev.list() if e.message.startswith("(combined")]
    assert combined and "helper program" in combined[0].message
    return {
        "kubelet": ("worker-02/kubelet.log", first_line(os.path.join(W2, "kubelet.log"), "Mount failed: exit status 32")),
        "describe": ("describe-pod-invoice-export-0.txt", first_line(dp, "FailedMount")),
    }


# ====================================================================== 2. nfs-red-herring-access-denied
def jammy_node_pods(r, ip):
    return [
        Pod(r, "kube-system", "kube-proxy-" + r.sfx(), [("configmap", "kube-proxy"), ("hostpath", "xtables-lock"), ("hostpath", "lib-modules")],
            ["kube-proxy"], ip=ip),
        Pod(r, "kube-flannel", "kube-flannel-ds-" + r.sfx(), [("hostpath", "run"), ("hostpath", "cni"), ("configmap", "flannel-cfg")],
            ["kube-flannel"], ip=ip),
        Pod(r, "monitoring", "node-exporter-" + r.sfx(), [("hostpath", "proc"), ("hostpath", "sys")], ["node-exporter"], ip=ip),
    ]


def build_nfs_red_herring(S):
    """Ubuntu 22.04, kubelet 1.29.6: the node first lacked nfs-common (one old FailedMount event with the util-linux 2.37
    helper text), the admin installed nfs-common and restarted kubelet; the export still refuses the node."""
    r = R(2202)
    node, ip, pid = "k8s-ubu-w3", "10.9.8.43", 20417
    server, export, pv = "10.9.8.7", "/exports/media", "pv-media-archive"
    src = f"{server}:{export}"
    t_sched = D(2024, 6, 3, 13, 2, 9, 118406)
    t_pkg = D(2024, 6, 3, 13, 11, 52)
    t0 = D(2024, 6, 3, 13, 12, 40, 229118)  # kubelet restart after the package install
    t_end = D(2024, 6, 3, 13, 31, 5, 880231)
    now = t_end + sec(11)
    kl = Kubelet(r, node, pid, 29, "containerd", t0)
    kl.nameservers = "10.9.8.2 10.9.8.3 1.1.1.1"
    t = kl.boot(t0, boot_rows_29(node, "v1.29.6", "containerd", "1.6.31"))
    pods = jammy_node_pods(r, ip)
    pods.append(Pod(r, "media", "thumbnailer-5b7d9c8f6-" + r.sfx(), [("configmap", "thumbnailer-config")], ["thumbnailer"], probe="/ready:8080"))
    tc = Pod(r, "media", "transcoder-7c6b8d5f9-" + r.sfx(), [("nfs", "pv-transcode-cache"), ("configmap", "transcoder-profiles")],
             ["transcoder"], probe="/health:8000")
    pods.append(tc)
    ix = Pod(r, "media", "media-catalog-0", [("nfs", pv), ("configmap", "catalog-config")], ["catalog"])
    t += ms(388)
    kl.syncloop(t, "ADD", pods + [ix])
    for p in pods:
        t = kl.pod_start(t + jt(r, 50, 700), p, sandbox_msg="No ready sandbox")
    kl.noise(t + sec(15), t_end, pods, every=(80, 220))
    kl.cron(D(2024, 6, 3, 13, 20, 0, 331870), t_end, "media", "library-scan", 10, [("configmap", "scan-config")], ["scan"])
    tgt = f"/var/lib/kubelet/pods/{ix.uid}/volumes/kubernetes.io~nfs/{pv}"
    args = f"-t nfs -o nfsvers=4.1 {src} {tgt}"
    ev = EventLog()
    ev.emit(t_sched, "Normal", "Scheduled", f"Successfully assigned media/media-catalog-0 to {node}", source="default-scheduler")
    # before the install (the kubelet log of that run is not in the bundle): util-linux 2.37 helper text
    helper = NEW_HELPER_MISSING.format(tgt=tgt)
    ta = t_sched + ms(190)
    for delay in retry_delays():
        if ta >= t_pkg:
            break
        ev.emit(ta, "Warning", "FailedMount", f'MountVolume.SetUp failed for volume "{pv}" : mount failed: exit status 32\n'
                                              f"Mounting command: mount\nMounting arguments: {args}\nOutput: {helper}")
        ta += sec(delay) + jt(r, 20, 60)
    tw = t_sched + sec(123) + jt(r, 5, 40)
    while tw < t0 - sec(30):
        ev.emit(tw, "Warning", "FailedMount", f"Unable to attach or mount volumes: unmounted volumes=[media-archive], unattached volumes=[], "
                                              f"failed to process volumes=[]: context deadline exceeded")
        tw += sec(123) + jt(r, 200, 3000)
    # after the restart: mount.nfs is there, the server says no
    tp = kl.pod_start(t + ms(3), ix, skip=(pv,), containers=False)
    out = ACCESS_DENIED.format(src=src)
    ta = tp + jt(r, 20, 60)
    first = True
    for delay in retry_delays():
        if not first:
            kl.volmsg(ta, "mount", ix, "nfs", pv)
        first = False
        tf = ta + jt(r, 8, 40)
        nxt = kl.mount_failure(tf, ix, "nfs", pv, "mount", args, out, delay)
        ev.emit(tf, "Warning", "FailedMount", f'MountVolume.SetUp failed for volume "{pv}" : mount failed: exit status 32\n'
                                              f"Mounting command: mount\nMounting arguments: {args}\nOutput: {out}")
        ta = nxt + jt(r, 30, 90)
        if ta >= t_end - sec(1):
            break
    tw = tp + sec(123) + jt(r, 5, 40)
    while tw < t_end:
        err = kl.mount_timeout(tw, ix, ["media-archive"], [], "context deadline exceeded")
        ev.emit(tw, "Warning", "FailedMount", "Unable to attach or mount volumes: " + err)
        tw += sec(123) + jt(r, 200, 3000)
    N = os.path.join(S, "node")
    write(os.path.join(N, "kubelet.log"), kl.text())
    write(os.path.join(N, "dpkg-l.txt"), dpkg_l([("ii",) + p for p in JAMMY + jammy_kube(29, 6) + JAMMY_NFS] + [("rc",) + p for p in JAMMY_RC]))
    # /var/log/dpkg.log of the install (apt-get install nfs-common)
    dl, tt = [], t_pkg - sec(9)
    dl.append(f"{tt:%Y-%m-%d %H:%M:%S} startup archives unpack")
    for name, ver in [("libnfsidmap1:amd64", "1:2.6.1-1ubuntu1.2"), ("rpcbind:amd64", "1.2.6-2build1"), ("keyutils:amd64", "1.6.1-2ubuntu3"),
                      ("nfs-common:amd64", "1:2.6.1-1ubuntu1.2")]:
        tt += sec(1)
        dl += [f"{tt:%Y-%m-%d %H:%M:%S} install {name} <none> {ver}", f"{tt:%Y-%m-%d %H:%M:%S} status half-installed {name} {ver}",
               f"{tt:%Y-%m-%d %H:%M:%S} status unpacked {name} {ver}"]
    tt += sec(2)
    dl.append(f"{tt:%Y-%m-%d %H:%M:%S} startup packages configure")
    for name, ver in [("libnfsidmap1:amd64", "1:2.6.1-1ubuntu1.2"), ("rpcbind:amd64", "1.2.6-2build1"), ("keyutils:amd64", "1.6.1-2ubuntu3"),
                      ("nfs-common:amd64", "1:2.6.1-1ubuntu1.2")]:
        tt += sec(1)
        dl += [f"{tt:%Y-%m-%d %H:%M:%S} configure {name} {ver} <none>", f"{tt:%Y-%m-%d %H:%M:%S} status unpacked {name} {ver}",
               f"{tt:%Y-%m-%d %H:%M:%S} status half-configured {name} {ver}", f"{tt:%Y-%m-%d %H:%M:%S} status installed {name} {ver}"]
    tt += sec(1)
    dl += [f"{tt:%Y-%m-%d %H:%M:%S} trigproc man-db:amd64 2.10.2-1 <none>", f"{tt:%Y-%m-%d %H:%M:%S} status installed man-db:amd64 2.10.2-1",
           f"{tt:%Y-%m-%d %H:%M:%S} trigproc libc-bin:amd64 2.35-0ubuntu3.7 <none>",
           f"{tt:%Y-%m-%d %H:%M:%S} status installed libc-bin:amd64 2.35-0ubuntu3.7"]
    write(os.path.join(N, "dpkg.log"), "\n".join(dl))
    write(os.path.join(N, "os-release"), JAMMY_OS_RELEASE)
    write(os.path.join(N, "hostname"), node)
    mi = MountInfo(24, r, first_peer=26, first_anon=35)
    root, run = jammy_base(mi)
    for p in pods:
        kubelet_tmpfs(mi, root, p, "rw,size=16224888k,inode64")
        if p is tc:
            mi.add(root, mi.anon(), "/", f"/var/lib/kubelet/pods/{tc.uid}/volumes/kubernetes.io~nfs/pv-transcode-cache", "rw,relatime",
                   mi.peer(), "nfs4", f"{server}:/exports/transcode-cache",
                   f"rw,vers=4.1,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr={ip},local_lock=none,addr={server}")
        containerd_pod_mounts(mi, r, run, p)
    kubelet_tmpfs(mi, root, ix, "rw,size=16224888k,inode64")
    write(os.path.join(N, "mountinfo"), mi.text())
    pod = dict(name="media-catalog-0", ns="media", sa="media-catalog", node=node, host_ip=ip, start=t_sched + ms(31),
               labels=["app.kubernetes.io/name=media-catalog", "apps.kubernetes.io/pod-index=0",
                       "controller-revision-hash=media-catalog-77d4b8c9f6", "statefulset.kubernetes.io/pod-name=media-catalog-0"],
               phase="Pending", ip="", controlled_by="StatefulSet/media-catalog",
               containers=[dict(name="catalog", image="ghcr.io/example-media/catalog:2.3.0", port="9090/TCP", host_port="0/TCP",
                                state=["    State:\tWaiting", "      Reason:\tContainerCreating"],
                                limits=[("memory", "1Gi")], requests=[("cpu", "250m"), ("memory", "512Mi")],
                                env=[("LIBRARY_ROOT", "/library")],
                                mounts=[("/library", "media-archive", "rw"), ("/etc/catalog", "catalog-config", "ro"),
                                        ("/var/run/secrets/kubernetes.io/serviceaccount", ix.token[1], "ro")])],
               conditions=[("PodReadyToStartContainers", "False"), ("Initialized", "True"), ("Ready", "False"),
                           ("ContainersReady", "False"), ("PodScheduled", "True")],
               volumes=[("media-archive", "pvc", dict(claim="media-archive")), ("catalog-config", "configmap", dict(name="catalog-config")),
                        (ix.token[1], "projected", {})],
               qos="Burstable", events=ev.list())
    dp = os.path.join(S, "describe-pod-media-catalog-0.txt")
    write(dp, describe_pod(pod, now, 29))
    return {"kubelet": ("node/kubelet.log", first_line(os.path.join(N, "kubelet.log"), "Mount failed: exit status 32")),
            "ad": ("node/kubelet.log", first_line(os.path.join(N, "kubelet.log"), "access denied by server")),
            "herring": ("describe-pod-media-catalog-0.txt", first_line(dp, "helper program")),
            "dpkg": ("node/dpkg-l.txt", first_line(os.path.join(N, "dpkg-l.txt"), "ii  nfs-common")),
            "dpkglog": ("node/dpkg.log", first_line(os.path.join(N, "dpkg.log"), "status installed nfs-common"))}


# ====================================================================== 3. subpath-utillinux-k0s
PACMAN_Q = """acl 2.3.2-1
archlinux-keyring 20250529-1
attr 2.5.2-1
audit 4.0.5-1
base 3-2
bash 5.2.037-5
btrfs-progs 6.14-1
bzip2 1.0.8-6
ca-certificates 20240618-1
ca-certificates-mozilla 3.112-1
conntrack-tools 1.4.8-1
coreutils 9.7-1
cryptsetup 2.7.5-2
curl 8.14.0-1
dbus 1.16.2-1
device-mapper 2.03.32-1
diffutils 3.12-1
e2fsprogs 1.47.2-2
ebtables 2.0.11-2
ethtool 1:6.14-1
expat 2.7.1-1
file 5.46-4
filesystem 2025.05.03-1
findutils 4.10.0-2
gawk 5.3.2-1
gcc-libs 15.1.1+r7+gf36ec88aa85a-1
glib2 2.84.2-1
glibc 2.41+r48+g5cb575ca9a3d-1
gnupg 2.4.8-1
gnutls 3.8.9-1
grep 3.12-2
gzip 1.14-2
iproute2 6.15.0-1
iptables 1:1.8.11-2
iputils 20250605-1
kbd 2.8.0-1
kmod 34.2-1
krb5 1.21.3-1
less 1:679-1
libcap 2.76-1
libelf 0.193-2
libnetfilter_conntrack 1.1.0-1
libnfnetlink 1.0.2-2
libnftnl 1.2.9-1
libseccomp 2.5.6-1
libtirpc 1.3.6-2
linux 6.14.9.arch1-1
linux-firmware 20250508.788aadc8-2
lz4 1:1.10.0-2
nano 8.4-1
ncurses 6.5-4
nftables 1:1.1.3-1
openssh 10.0p1-3
openssl 3.5.0-1
pacman 7.0.0.r6.gc685ae6-6
pacman-mirrorlist 20250522-1
pam 1.7.0-2
pciutils 3.13.0-2
procps-ng 4.0.5-3
psmisc 23.7-1
readline 8.2.013-2
sed 4.9-3
shadow 4.17.4-1
socat 1.8.0.3-1
sudo 1.9.16.p2-2
systemd 257.6-1
systemd-libs 257.6-1
systemd-sysvcompat 257.6-1
tar 1.35-2
tzdata 2025b-1
util-linux 2.41-3
util-linux-libs 2.41-3
vim 9.1.1418-1
which 2.23-1
xz 5.8.1-1
zlib 1:1.3.1-2
zstd 1.5.7-2"""


def k0s_line(t, host, pid, msg, component, level="info"):
    return jprefix(t, host, "k0s", pid) + f'time="{t:%Y-%m-%d %H:%M:%S}" level={level} msg={goq(msg)} component={component} stream=stderr'


def build_subpath_k0s(S):
    """k0s v1.33.1 worker on Arch Linux; the host util-linux was upgraded to 2.41-3 before the reboot."""
    r = R(3303)
    host, ip = "arch-k0s-w1", "192.168.122.31"
    k0s_pid, ctrd_pid, kpid = 1204, 1290, 1342
    off = dt.timedelta(hours=2)  # node TZ Europe/Berlin (CEST); events are UTC
    root = "/var/lib/k0s/kubelet"
    t_boot = D(2025, 6, 5, 16, 43, 2, 511204)
    t0 = t_boot + sec(14) + ms(220)
    t_end = D(2025, 6, 5, 16, 53, 40, 118002)
    J = []  # (time, text)
    J.append((t_boot + sec(3), jprefix(t_boot + sec(3), host, "systemd", 1) + "Started k0s - Zero Friction Kubernetes."))
    for dtm, msg, comp in [(0.9, "Starting to supervise", "containerd"), (1.0, f"Started successfully, go nuts pid {ctrd_pid}", "containerd")]:
        tt = t_boot + sec(3) + dt.timedelta(seconds=dtm)
        J.append((tt, jprefix(tt, host, "k0s", k0s_pid) + f'time="{tt:%Y-%m-%d %H:%M:%S}" level=info msg="{msg}" component={comp}'))

    def cline(tt, level, m, **kv):
        J.append((tt, k0s_line(tt, host, k0s_pid, ctrd(tt, level, m, tz="+02:00", **kv), "containerd")))
    tc = t_boot + sec(4) + ms(210)
    cline(tc, "info", "starting containerd", revision="06b99ca80cdbfbc6cc8bd567021738c9af2b36ce", version="v1.7.27")
    for plug in ["io.containerd.content.v1.content", "io.containerd.snapshotter.v1.overlayfs", "io.containerd.metadata.v1.bolt",
                 "io.containerd.runtime.v2.task", "io.containerd.grpc.v1.cri"]:
        tc += jt(r, 1, 9)
        cline(tc, "info", "loading plugin " + goq(plug) + "...", type_=plug.rsplit(".", 1)[0])
    cline(tc + ms(61), "info", "serving...", address="/run/k0s/containerd.sock")
    cline(tc + ms(63), "info", "containerd successfully booted in 0.071236s")
    for dtm, msg in [(-0.2, "Starting to supervise"), (-0.1, f"Started successfully, go nuts pid {kpid}")]:
        tt = t0 + dt.timedelta(seconds=dtm)
        J.append((tt, jprefix(tt, host, "k0s", k0s_pid) + f'time="{tt:%Y-%m-%d %H:%M:%S}" level=info msg="{msg}" component=kubelet'))

    kl = Kubelet(r, host, kpid, 33, "containerd", t0, root=root)
    kl.nameservers = "192.168.122.1 1.1.1.1 9.9.9.9"
    t = kl.boot(t0, boot_rows_29(host, "v1.33.1+k0s", "containerd", "1.7.27", root=root, ca="/var/lib/k0s/pki/ca.crt"))
    pods = [Pod(r, "kube-system", "kube-proxy-" + r.sfx(), [("configmap", "kube-proxy"), ("hostpath", "xtables-lock"), ("hostpath", "lib-modules")],
                ["kube-proxy"], ip=ip),
            Pod(r, "kube-system", "kube-router-" + r.sfx(), [("configmap", "kube-router-cfg"), ("hostpath", "cni-conf-dir")], ["kube-router"], ip=ip),
            Pod(r, "kube-system", "konnectivity-agent-" + r.sfx(), [("projected", "konnectivity-agent-token")], ["konnectivity-agent"]),
            Pod(r, "default", "whoami-6d9b8f7c5-" + r.sfx(), [], ["whoami"], probe="/health:8080")]
    t += ms(402)
    kl.syncloop(t, "ADD", pods)
    for p in pods:
        t = kl.pod_start(t + jt(r, 50, 600), p)
        md = f"&PodSandboxMetadata{{Name:{p.name},Uid:{p.uid},Namespace:{p.ns},Attempt:0,}}"
        cline(t - ms(900), "info", f"RunPodSandbox for {md}")
        cline(t - ms(120), "info", f'RunPodSandbox for {md} returns sandbox id "{p.sid}"')
    kl.noise(t + sec(20), t_end, pods, every=(40, 110))

    # the two subPath pods (k0s#5931 reproducer and k0s#5693's prometheus init container)
    sp_test = Pod(r, "default", "subpath-test", [("configmap", "config-volume")], ["test-container"])
    prom = Pod(r, "default", "prometheus-main-0", [("secret", "web-config"), ("configmap", "prometheus-main-rulefiles-0")],
               ["init-config-reloader"])
    fails = [(sp_test, "test-container", "config-volume", "configmap", "my-config.txt", 0, "spec.containers{test-container}",
              D(2025, 6, 5, 16, 46, 10, 402118)),
             (prom, "init-config-reloader", "web-config", "secret", "web-config.yaml", 2, "spec.initContainers{init-config-reloader}",
              D(2025, 6, 5, 16, 47, 31, 776310))]
    ev_items = []
    for p, c, vol, kind, fname, idx, fpath, ts in fails:
        kl.syncloop(ts, "ADD", [p])
        tt = kl.pod_start(ts + ms(2), p, containers=False)
        data_dir = f"..{ts - off:%Y_%m_%d_%H_%M_%S}.{r.randint(1000000000, 4294967295)}"
        md = f"&PodSandboxMetadata{{Name:{p.name},Uid:{p.uid},Namespace:{p.ns},Attempt:0,}}"
        cline(tt + ms(120), "info", f"RunPodSandbox for {md}")
        cline(tt + ms(880), "info", f'RunPodSandbox for {md} returns sandbox id "{p.sid}"')
        kl.pleg(tt + ms(1010), p, "ContainerStarted", p.sid)
        sub = f"{root}/pods/{p.uid}/volume-subpaths/{vol}/{c}/{idx}"
        srcf = f"{root}/pods/{p.uid}/volumes/kubernetes.io~{kind}/{vol}/{data_dir}/{fname}"
        ev = EventLog()
        src_ = f"kubelet"
        ev.emit(ts - ms(40), "Normal", "Scheduled", f"Successfully assigned default/{p.name} to {host}", source="default-scheduler")
        ta = tt + ms(1100)
        attempt = 0
        image = "docker.io/library/busybox:1.37" if p is sp_test else "quay.io/prometheus-operator/prometheus-config-reloader:v0.83.0"
        while ta < t_end - sec(5) and attempt < 7:
            fd = r.randint(41, 88)
            kl.add(ta, "I", "subpath_linux.go:230", f'bind mounting "/proc/{kpid}/fd/{fd}" at "{sub}"')
            ta2 = ta + dt.timedelta(microseconds=r.randint(1900, 2600))
            kl.add(ta2, "I", "subpath_linux.go:236", f"Bound SubPath {srcf} into {sub}")
            ev.emit(ta2 + ms(1), "Normal", "Pulled", f'Container image "{image}" already present on machine', source=src_)
            cid = r.hexid()
            tcf = ta2 + dt.timedelta(microseconds=r.randint(900, 1400))
            err = f'failed to generate container "{cid}" spec: failed to generate spec: failed to mkdir "{sub}": mkdir {sub}: file exists'
            cline(tcf - ms(1), "info", f'CreateContainer within sandbox "{p.sid}" for container &ContainerMetadata{{Name:{c},Attempt:0,}}')
            cline(tcf, "error", f'CreateContainer within sandbox "{p.sid}" for &ContainerMetadata{{Name:{c},Attempt:0,}} failed', error=err)
            tk = tcf + dt.timedelta(microseconds=r.randint(200, 600))
            kl.add(tk, "E", "log.go:32", sl("CreateContainer in sandbox from runtime service failed",
                                            err=f"rpc error: code = Unknown desc = {err}", podSandboxID=p.sid))
            kl.add(tk + dt.timedelta(microseconds=311), "E", "pod_workers.go:1301",
                   sl("Error syncing pod, skipping", err=f'failed to "StartContainer" for "{c}" with CreateContainerError: {goq(err)}',
                      pod=p.ref, podUID=p.uid))
            ev.emit(tk, "Warning", "Failed", "Error: " + err, source=src_)
            attempt += 1
            ta = tk + sec(r.choice([10, 11, 12, 13, 14, 15, 18, 21, 27])) + jt(r, 0, 900)
        for e in ev.list():
            first, last = e.first - off, e.last - off
            ev_items.append((e.first, {
                "metadata": {"name": f"{p.name}.{int(first.replace(tzinfo=dt.timezone.utc).timestamp() * 1e9):x}", "namespace": "default",
                             "uid": r.uuid(), "resourceVersion": str(r.randint(41000, 48000)),
                             "creationTimestamp": f"{first:%Y-%m-%dT%H:%M:%SZ}"},
                "involvedObject": dict({"kind": "Pod", "namespace": "default", "name": p.name, "uid": p.uid, "apiVersion": "v1",
                                        "resourceVersion": str(r.randint(40000, 41000))}, **({"fieldPath": fpath} if e.reason != "Scheduled" else {})),
                "reason": e.reason, "message": e.message,
                "source": {"component": "default-scheduler"} if e.reason == "Scheduled" else {"component": "kubelet", "host": host},
                "firstTimestamp": f"{first:%Y-%m-%dT%H:%M:%SZ}", "lastTimestamp": f"{last:%Y-%m-%dT%H:%M:%SZ}",
                "count": e.count, "type": e.typ, "eventTime": None,
                "reportingComponent": "default-scheduler" if e.reason == "Scheduled" else "kubelet",
                "reportingInstance": "" if e.reason == "Scheduled" else host}))
    for tt, rec in kl.timed():
        for ln in rec.split("\n"):
            J.append((tt, k0s_line(tt, host, k0s_pid, ln, "kubelet")))
    J.sort(key=lambda e: e[0])
    H = os.path.join(S, "host-collectors")
    jp = os.path.join(H, "run-host", "journalctl-k0s.txt")
    write(jp, f"-- Logs begin at {t_boot - sec(1):%a %Y-%m-%d %H:%M:%S} CEST, end at {t_end + sec(2):%a %Y-%m-%d %H:%M:%S} CEST. --\n" +
          "\n".join(x for _, x in J))
    write(os.path.join(H, "run-host", "pacman-q.txt"), PACMAN_Q)
    write(os.path.join(H, "run-host", "pacman-log.txt"), "\n".join([
        "[2025-06-05T16:31:44+0200] [PACMAN] Running 'pacman -Syu'",
        "[2025-06-05T16:31:44+0200] [PACMAN] synchronizing package lists",
        "[2025-06-05T16:32:20+0200] [PACMAN] starting full system upgrade",
        "[2025-06-05T16:33:02+0200] [ALPM] transaction started",
        "[2025-06-05T16:33:02+0200] [ALPM] upgraded util-linux-libs (2.40.4-1 -> 2.41-3)",
        "[2025-06-05T16:33:03+0200] [ALPM] upgraded curl (8.13.0-3 -> 8.14.0-1)",
        "[2025-06-05T16:33:03+0200] [ALPM] upgraded iputils (20240905-1 -> 20250605-1)",
        "[2025-06-05T16:33:04+0200] [ALPM] upgraded util-linux (2.40.4-1 -> 2.41-3)",
        "[2025-06-05T16:33:05+0200] [ALPM] upgraded linux (6.14.6.arch1-1 -> 6.14.9.arch1-1)",
        "[2025-06-05T16:33:19+0200] [ALPM] transaction completed",
        "[2025-06-05T16:33:19+0200] [ALPM] running '30-systemd-update.hook'...",
        "[2025-06-05T16:33:21+0200] [ALPM] running '60-mkinitcpio-remove.hook'...",
        "[2025-06-05T16:33:27+0200] [ALPM] running '90-mkinitcpio-install.hook'..."]))
    mounts = ["proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)",
              "sys on /sys type sysfs (rw,nosuid,nodev,noexec,relatime)",
              "dev on /dev type devtmpfs (rw,nosuid,relatime,size=8134460k,nr_inodes=2033615,mode=755,inode64)",
              "run on /run type tmpfs (rw,nosuid,nodev,relatime,mode=755,inode64)",
              "/dev/vda2 on / type btrfs (rw,relatime,discard=async,space_cache=v2,subvolid=256,subvol=/@)",
              "securityfs on /sys/kernel/security type securityfs (rw,nosuid,nodev,noexec,relatime)",
              "tmpfs on /dev/shm type tmpfs (rw,nosuid,nodev,inode64)",
              "devpts on /dev/pts type devpts (rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=000)",
              "cgroup2 on /sys/fs/cgroup type cgroup2 (rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot)",
              "bpf on /sys/fs/bpf type bpf (rw,nosuid,nodev,noexec,relatime,mode=700)",
              "mqueue on /dev/mqueue type mqueue (rw,nosuid,nodev,noexec,relatime)",
              "/dev/vda2 on /var/lib/k0s type btrfs (rw,relatime,discard=async,space_cache=v2,subvolid=258,subvol=/@k0s)",
              "tmpfs on /tmp type tmpfs (rw,nosuid,nodev,size=8155384k,nr_inodes=1048576,inode64)",
              "/dev/vda1 on /boot type vfat (rw,relatime,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,utf8,errors=remount-ro)"]
    for p in pods + [sp_test, prom]:
        for plugin, vol in p.volumes:
            if plugin in ("projected", "secret"):
                mounts.append(f"tmpfs on {root}/pods/{p.uid}/volumes/kubernetes.io~{plugin}/{vol} type tmpfs (rw,relatime,size=16310768k,inode64)")
        mounts.append(f"shm on /run/k0s/containerd/io.containerd.grpc.v1.cri/sandboxes/{p.sid}/shm type tmpfs (rw,nosuid,nodev,noexec,relatime,size=65536k,inode64)")
        mounts.append(f"overlay on /run/k0s/containerd/io.containerd.runtime.v2.task/k8s.io/{p.sid}/rootfs type overlay "
                      f"(rw,relatime,lowerdir=/var/lib/k0s/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/{r.randint(2, 60)}/fs,"
                      f"upperdir=/var/lib/k0s/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/{r.randint(61, 200)}/fs,"
                      f"workdir=/var/lib/k0s/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/{r.randint(61, 200)}/work)")
    for p, c, vol, kind, fname, idx, fpath, ts in fails:
        mounts.append(f"proc on {root}/pods/{p.uid}/volume-subpaths/{vol}/{c}/{idx} type proc (rw,nosuid,nodev,noexec,relatime)")
    mounts.append("tmpfs on /run/user/1000 type tmpfs (rw,nosuid,nodev,relatime,size=1631076k,nr_inodes=407769,mode=700,uid=1000,gid=1000,inode64)")
    write(os.path.join(H, "run-host", "mount.txt"), "\n".join(mounts))
    write(os.path.join(H, "run-host", "uname.txt"),
          f"Linux {host} 6.14.9-arch1-1 #1 SMP PREEMPT_DYNAMIC Thu, 29 May 2025 21:42:15 +0000 x86_64 GNU/Linux")
    write(os.path.join(H, "system", "hostos_info.json"),
          json.dumps({"name": host, "kernelVersion": "6.14.9-arch1-1", "platformVersion": "", "platform": "arch"}, indent=2))
    items = [x for _, x in sorted(ev_items, key=lambda e: e[0])]
    ep = os.path.join(S, "cluster-resources", "events", "default.json")
    write(ep, json.dumps({"kind": "EventList", "apiVersion": "v1", "metadata": {"resourceVersion": "48213"}, "items": items}, indent=2))
    write(os.path.join(S, "version.yaml"), "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: v0.117.0\n")
    return {"journal": ("host-collectors/run-host/journalctl-k0s.txt", first_line(jp, "bind mounting")),
            "ctrd": ("host-collectors/run-host/journalctl-k0s.txt", first_line(jp, "file exists")),
            "events": ("cluster-resources/events/default.json", first_line(ep, "file exists")),
            "pacman": ("host-collectors/run-host/pacman-q.txt", first_line(os.path.join(H, "run-host", "pacman-q.txt"), "util-linux 2.41-3")),
            "mount": ("host-collectors/run-host/mount.txt", first_line(os.path.join(H, "run-host", "mount.txt"), "volume-subpaths"))}


# ====================================================================== 4. subpath-deleted-sosreport
def build_subpath_deleted(S):
    """sosreport of a CentOS 7.8 node, Kubernetes 1.18.3 with docker 18.06: after a ConfigMap update the container is
    OOM-killed and every restart fails on its subPath mount; mountinfo shows the bind source //deleted (kubernetes#68211)."""
    r = R(4404)
    host, ip, pid, dpid = "kube-app-12", "10.44.7.12", 1318, 1096
    sos = os.path.join(S, f"sosreport-{host}-2020-06-14-xkq3mzb")
    t_boot = D(2020, 6, 14, 6, 1, 44, 310027)
    t0 = D(2020, 6, 14, 6, 2, 19, 811906)
    t_end = D(2020, 6, 14, 9, 52, 3, 402117)
    kl = Kubelet(r, host, pid, 18, "docker", t0)
    t = kl.boot(t0, [
        ("I", "server.go:417", "Version: v1.18.3"),
        ("I", "plugins.go:100", "No cloud provider specified."),
        ("I", "server.go:837", "Client rotation is on, will bootstrap in background"),
        ("I", "certificate_store.go:130", 'Loading cert/key pair from "/var/lib/kubelet/pki/kubelet-client-current.pem".'),
        ("I", "server.go:646", "--cgroups-per-qos enabled, but --cgroup-root was not specified.  defaulting to /"),
        ("I", "client.go:75", "Connecting to docker on unix:///var/run/docker.sock"),
        ("I", "client.go:92", "Start docker client with request timeout=2m0s"),
        ("I", "docker_service.go:253", "Docker cri networking managed by cni"),
        ("I", "docker_service.go:258", "Docker Info: &{ID:QK4T:7ZJD:2LSM:XH3V:R7OA:K2BN:GWTB:5X4C:YFDQ:OJ3P:ZK7E:M4QH Containers:23 ServerVersion:18.06.3-ce StorageDriver:overlay2 LoggingDriver:json-file CgroupDriver:systemd}"),
        ("I", "docker_service.go:271", "Setting cgroupDriver to systemd"),
        ("I", "kubelet.go:292", "Adding pod path: /etc/kubernetes/manifests"),
        ("I", "kubelet.go:317", "Watching apiserver"),
        ("I", "kuberuntime_manager.go:211", "Container runtime docker initialized, version: 18.06.3-ce, apiVersion: 1.38.0"),
        ("I", "server.go:1125", "Started kubelet"),
        ("I", "server.go:145", "Starting to listen on 0.0.0.0:10250"),
        ("I", "volume_manager.go:265", "Starting Kubelet Volume Manager"),
        ("I", "desired_state_of_world_populator.go:139", "Desired state populator starts to run"),
        ("I", "kubelet.go:1821", "Starting kubelet main sync loop."),
        ("E", "kubelet.go:1845", "skipping pod synchronization - [container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"),
        ("I", "kubelet_node_status.go:70", f"Attempting to register node {host}"),
        ("I", "kubelet_node_status.go:112", f"Node {host} was previously registered"),
        ("I", "kubelet_node_status.go:73", f"Successfully registered node {host}"),
        ("I", "plugin_manager.go:114", "Starting Kubelet Plugin Manager"),
    ])
    tok = lambda: ("secret", "default-token-" + r.sfx())
    pods = [Pod(r, "kube-system", "kube-proxy-" + r.sfx(), [("configmap", "kube-proxy"), ("hostpath", "xtables-lock")], ["kube-proxy"], ip=ip,
                token=("secret", "kube-proxy-token-" + r.sfx())),
            Pod(r, "kube-system", "calico-node-" + r.sfx(), [("hostpath", "var-run-calico"), ("hostpath", "cni-bin-dir")], ["calico-node"], ip=ip,
                token=("secret", "calico-node-token-" + r.sfx())),
            Pod(r, "erp", "orders-6c8f7d9b54-" + r.sfx(), [("secret", "orders-db")], ["orders"], token=tok(), probe="/ready:8080")]
    app = Pod(r, "erp", "billing-api-5f7b8c6d9-" + r.sfx(), [("configmap", "app-settings")], ["billing-api"], token=tok())
    pods.append(app)
    t += ms(377)
    kl.syncloop(t, "ADD", pods)
    for p in pods:
        t = kl.pod_start(t + jt(r, 50, 700), p, sandbox_msg="No ready sandbox")
    kl.noise(t + sec(30), t_end, pods, every=(300, 700))
    old_dir = "..2020_06_11_08_15_42.118273645"
    t_oom = D(2020, 6, 14, 9, 31, 12, 551809)
    kl.pleg(t_oom + ms(288), app, "ContainerDied", app.cids["billing-api"])
    sp = f"/var/lib/kubelet/pods/{app.uid}/volume-subpaths/app-settings/billing-api/0"
    image = "harbor.example.internal/erp/billing-api:3.4.7"
    ev = EventLog()
    hs = f"kubelet, {host}"
    DJ = []

    def dj(tt, level, m, **kv):
        DJ.append((tt, jprefix(tt, host, "dockerd", dpid) + ctrd(tt, level, m, **kv)))
    dj(t_boot + sec(12), "info", "libcontainerd: started new docker-containerd process", pid=1152)
    dj(t_boot + sec(13), "info", "Loading containers: start.")
    dj(t_boot + sec(14), "info", "Loading containers: done.")
    dj(t_boot + sec(14) + ms(210), "info", "Docker daemon", commit="d7080c1", graphdriver_overlay2_="overlay2", version="18.06.3-ce")
    dj(t_boot + sec(14) + ms(260), "info", "API listen on /var/run/docker.sock")
    dj(t_oom + ms(120), "info", "shim reaped", id=app.cids["billing-api"], module="containerd/tasks")
    dj(t_oom + ms(121), "info", "ignoring event", module="libcontainerd", namespace="moby", topic="/tasks/delete",
       type_="*events.TaskDelete")
    backoff = [10, 20, 40, 80, 160, 300]
    ta = t_oom + ms(950)
    n = 0
    last_cid = app.cids["billing-api"]
    cont = []
    while ta < t_end - sec(3):
        cid = r.hexid()
        ov = r.hexid()
        dest = f"/var/lib/docker/overlay2/{ov}/merged"
        derr = (f'OCI runtime create failed: container_linux.go:348: starting container process caused "process_linux.go:402: container init '
                f'caused \\"rootfs_linux.go:58: mounting \\\\\\"{sp}\\\\\\" to rootfs \\\\\\"{dest}\\\\\\" at \\\\\\"{dest}/opt/app/config/'
                f'application.properties\\\\\\" caused \\\\\\"no such file or directory\\\\\\"\\"": unknown')
        ev.emit(ta, "Normal", "Pulled", f'Container image "{image}" already present on machine', source=hs)
        ev.emit(ta + ms(70), "Normal", "Created", "Created container billing-api", source=hs)
        tf = ta + jt(r, 160, 260)
        dj(tf - ms(8), "error", f"Handler for POST /v1.38/containers/{cid}/start returned error: {derr}")
        kl.add(tf, "E", "remote_runtime.go:222", f'StartContainer "{cid}" from runtime service failed: rpc error: code = Unknown desc = '
                                                 f'failed to start container "{cid}": Error response from daemon: {derr}')
        msg = f'failed to start container "{cid}": Error response from daemon: {derr}'
        kl.add(tf + dt.timedelta(microseconds=140), "E", "kuberuntime_manager.go:801", f"container start failed: RunContainerError: {msg}")
        kl.add(tf + dt.timedelta(microseconds=233), "E", "pod_workers.go:191",
               f'Error syncing pod {app.uid} ("{app.legacy}"), skipping: failed to "StartContainer" for "billing-api" with RunContainerError: {goq(msg)}')
        ev.emit(tf, "Warning", "Failed", f'Error: failed to start container "billing-api": Error response from daemon: {derr}', source=hs)
        kl.pleg(tf + jt(r, 600, 1000), app, "ContainerDied", cid)
        cont.append((tf, cid, derr))
        nb = backoff[min(n, len(backoff) - 1)]
        tb = tf + sec(1) + jt(r, 0, 500)
        while tb < tf + sec(nb):
            kl.add(tb, "E", "pod_workers.go:191",
                   f'Error syncing pod {app.uid} ("{app.legacy}"), skipping: failed to "StartContainer" for "billing-api" with CrashLoopBackOff: '
                   f'"back-off {go_duration(nb)} restarting failed container=billing-api pod={app.legacy}"')
            ev.emit(tb, "Warning", "BackOff", "Back-off restarting failed container", source=hs)
            tb += (sec(r.randint(11, 15)) if nb <= 20 else sec(r.randint(55, 66))) + jt(r, 0, 40)
        n += 1
        ta = tf + sec(nb) + jt(r, 300, 900)
    J = [(t0 - ms(540), jprefix(t0 - ms(540), host, "systemd", 1) + "Started kubelet: The Kubernetes Node Agent.")]
    J += [(x, jprefix(x, host, "kubelet", pid) + ln) for x, rec in kl.timed() for ln in rec.split("\n")]
    J.sort(key=lambda e: e[0])
    head = f"-- Logs begin at {t_boot:%a %Y-%m-%d %H:%M:%S} UTC, end at {t_end + sec(4):%a %Y-%m-%d %H:%M:%S} UTC. --"
    kp = os.path.join(sos, "sos_commands", "kubernetes", "journalctl_--no-pager_--unit_kubelet")
    write(kp, "\n".join([head] + [x for _, x in J]))
    DJ.sort(key=lambda e: e[0])
    dp_ = os.path.join(sos, "sos_commands", "docker", "journalctl_--no-pager_--unit_docker")
    write(dp_, "\n".join([head] + [x for _, x in DJ]))
    up = (t_oom - t_boot).total_seconds()
    cg = f"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{app.uid.replace('-', '_')}.slice/docker-{app.cids['billing-api']}.scope"
    write(os.path.join(sos, "sos_commands", "kernel", "dmesg"), "\n".join([
        "[    0.000000] Linux version 3.10.0-1127.10.1.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-39) (GCC) ) #1 SMP Wed Jun 3 14:28:03 UTC 2020",
        "[    3.204117] XFS (dm-0): Mounting V5 Filesystem",
        "[    3.391022] XFS (dm-0): Ending clean mount",
        "[   17.512093] bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.",
        f"[{up:12.6f}] java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=968",
        f"[{up + 0.000171:12.6f}] Task in {cg} killed as a result of limit of {cg}",
        f"[{up + 0.000175:12.6f}] memory: usage 1048576kB, limit 1048576kB, failcnt 30127",
        f"[{up + 0.000319:12.6f}] Memory cgroup out of memory: Kill process 28114 (java) score 1968 or sacrifice child",
        f"[{up + 0.000901:12.6f}] Killed process 28114 (java), UID 1001, total-vm:4521112kB, anon-rss:1041208kB, file-rss:14320kB, shmem-rss:0kB"]))
    el7 = [x.replace("1160", "1127") for x in EL7_BASE if not x.startswith("kernel-3")]
    extra = ["kubeadm-1.18.3-0.x86_64", "kubectl-1.18.3-0.x86_64", "kubelet-1.18.3-0.x86_64", "kubernetes-cni-0.8.6-0.x86_64",
             "cri-tools-1.13.0-0.x86_64", "docker-ce-18.06.3.ce-3.el7.x86_64", "container-selinux-2.119.1-1.c57a6f9.el7.noarch",
             "kernel-3.10.0-1127.el7.x86_64", "kernel-3.10.0-1127.10.1.el7.x86_64", "gpg-pubkey-f4a80eb5-53a7ff4b.(none)",
             "gpg-pubkey-3e1ba8d5-558ab6a8.(none)"]
    rows = []
    for nvra in el7 + extra:
        day = D(2020, 5, 2, 10, 12, 40) if not nvra.startswith(("kube", "cri-", "docker", "container-selinux", "kernel-3.10.0-1127.10")) else D(2020, 6, 8, 14, 3, 11)
        rows.append(f"{nvra:<59} {day + sec(r.randint(0, 300)):%a %b %d %H:%M:%S %Y}")
    import re as _re
    vkey = lambda s: [(0, int(x)) if x.isdigit() else (1, x) for x in _re.split(r"(\d+)", s.split(" ")[0])]
    rpm_out = "sh_-c_rpm_--nodigest_-qa_--qf_-59_NVRA_INSTALLTIME_date_sort_-V"
    write(os.path.join(sos, "sos_commands", "rpm", rpm_out), "\n".join(sorted(rows, key=vkey)))
    symlink(os.path.join(sos, "installed-rpms"), f"sos_commands/rpm/{rpm_out}")
    write(os.path.join(sos, "sos_commands", "kernel", "uname_-a"),
          f"Linux {host} 3.10.0-1127.10.1.el7.x86_64 #1 SMP Wed Jun 3 14:28:03 UTC 2020 x86_64 x86_64 x86_64 GNU/Linux")
    symlink(os.path.join(sos, "uname"), "sos_commands/kernel/uname_-a")
    write(os.path.join(sos, "sos_commands", "general", "hostname"), host)
    symlink(os.path.join(sos, "hostname"), "sos_commands/general/hostname")
    write(os.path.join(sos, "usr", "lib", "os-release"), CENTOS7_OS_RELEASE)
    symlink(os.path.join(sos, "etc", "os-release"), "../usr/lib/os-release")
    write(os.path.join(sos, "etc", "centos-release"), "CentOS Linux release 7.8.2003 (Core)")
    write(os.path.join(sos, "version.txt"), "sosreport: 3.9\n")
    mi = MountInfo(18, r, first_peer=30, first_anon=38)
    root, run = el7_base(mi, "/dev/mapper/centos-root")
    for p in pods:
        kubelet_tmpfs(mi, root, p, "rw,seclabel")
        docker_pod_mounts(mi, r, root, run, p)
    mi.add(root, "253:0", f"/var/lib/kubelet/pods/{app.uid}/volumes/kubernetes.io~configmap/app-settings/{old_dir}/application.properties//deleted",
           sp, "rw,relatime", "shared:1", "xfs", "/dev/mapper/centos-root", "rw,seclabel,attr2,inode64,noquota")
    mi.add(run, mi.anon(), "/", "/run/user/0", "rw,nosuid,nodev,relatime", mi.peer(), "tmpfs", "tmpfs", "rw,seclabel,size=1626112k,mode=700")
    mp = os.path.join(sos, "proc", "self", "mountinfo")
    write(mp, mi.text())
    kd = os.path.join(sos, "sos_commands", "kubernetes")
    kc = "kubectl_--kubeconfig_.etc.kubernetes.admin.conf"
    write(os.path.join(kd, f"{kc}_version"),
          'Client Version: version.Info{Major:"1", Minor:"18", GitVersion:"v1.18.3", GitCommit:"2e7996e3e2712684bc73f0dec0200d64eec7fe40", '
          'GitTreeState:"clean", BuildDate:"2020-05-20T12:52:00Z", GoVersion:"go1.13.9", Compiler:"gc", Platform:"linux/amd64"}\n'
          'Server Version: version.Info{Major:"1", Minor:"18", GitVersion:"v1.18.3", GitCommit:"2e7996e3e2712684bc73f0dec0200d64eec7fe40", '
          'GitTreeState:"clean", BuildDate:"2020-05-20T12:43:34Z", GoVersion:"go1.13.9", Compiler:"gc", Platform:"linux/amd64"}')
    now = t_end + sec(7)
    restarts = n + 1
    rows = [["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]]
    for p in pods:
        rows.append([p.ns, p.name, "0/1" if p is app else "1/1", "CrashLoopBackOff" if p is app else "Running",
                     str(restarts) if p is app else "1", "3d1h" if p.ns == "erp" else "41d"])
    rows[1:] = sorted(rows[1:], key=lambda x: (x[0], x[1]))
    write(os.path.join(kd, "cluster-info", f"{kc}_get_--all-namespaces_true_pods"), table(rows))
    erows = [["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
    for e in sorted(ev.list(), key=lambda e: e.first):
        erows.append(["erp", human_duration((now - e.last).total_seconds()), e.typ, e.reason, f"pod/{app.name}", e.message])
    ep = os.path.join(kd, "cluster-info", f"{kc}_get_--all-namespaces_true_events")
    write(ep, table(erows))
    tf, lcid, derr = cont[-1]
    pod = dict(name=app.name, ns="erp", node=host, host_ip=ip, start=D(2020, 6, 11, 8, 16, 2),
               labels=["app=billing-api", "pod-template-hash=5f7b8c6d9"], phase="Running", ip=app.ip,
               controlled_by="ReplicaSet/billing-api-5f7b8c6d9",
               containers=[dict(name="billing-api", cid=f"docker://{lcid}", image=image,
                                image_id="docker-pullable://harbor.example.internal/erp/billing-api@sha256:" + r.hexid(), port="8080/TCP",
                                host_port="0/TCP",
                                state=["    State:\tWaiting", "      Reason:\tCrashLoopBackOff", "    Last State:\tTerminated",
                                       "      Reason:\tContainerCannotRun", f"      Message:\t{derr}", "      Exit Code:\t128",
                                       f"      Started:\t{rfc1123z(tf - ms(150))}", f"      Finished:\t{rfc1123z(tf - ms(150))}"],
                                restarts=restarts, limits=[("memory", "1Gi")], requests=[("cpu", "250m"), ("memory", "768Mi")],
                                env=[("SPRING_CONFIG_LOCATION", "/opt/app/config/application.properties")],
                                mounts=[("/opt/app/config/application.properties", "app-settings", 'rw,path="application.properties"'),
                                        ("/var/run/secrets/kubernetes.io/serviceaccount", app.token[1], "ro")])],
               conditions=[("Initialized", "True"), ("Ready", "False"), ("ContainersReady", "False"), ("PodScheduled", "True")],
               volumes=[("app-settings", "configmap", dict(name="billing-api-settings")), (app.token[1], "secret", dict(name=app.token[1]))],
               qos="Burstable", events=ev.list())
    write(os.path.join(kd, "cluster-info", "erp", "pods", f"{kc}_--namespace_erp_describe_pods_{app.name}"), describe_pod(pod, now, 18))
    rel = lambda p: os.path.relpath(p, S)
    return {"kubelet": (rel(kp), first_line(kp, "OCI runtime create failed")), "docker": (rel(dp_), first_line(dp_, "OCI runtime create failed")),
            "mountinfo": (rel(mp), first_line(mp, "//deleted")), "sos": os.path.basename(sos), "host": host}


# ====================================================================== 5. kata-peerpods-einval
def build_kata(S):
    """OpenShift-less peer pods on a kubeadm worker: kata 3.7.0 remote hypervisor + cloud-api-adaptor; deleting the pod
    leaves it Terminating because the podvm's kata-agent fails RemoveContainer on the sandbox (kata-containers#10166)."""
    r = R(5505)
    node = "pp-worker-1"
    t_create = D(2024, 8, 13, 17, 41, 2, 118220)
    t_del = D(2024, 8, 13, 17, 56, 36, 204117)
    pod_name, ns, uid = "nginx-peerpod-7d6f9b5c8-" + r.sfx(), "default", r.uuid()
    sid, cid = r.hexid(), r.hexid()
    podvm = f"podvm-{pod_name}-{sid[:8]}"
    L = []
    caa = lambda t, m: L.append(f"{t:%Y/%m/%d %H:%M:%S} {m}")
    t = t_create - sec(3600 * 2 + 611)
    caa(t, "[adaptor] server config: &adaptor.ServerConfig{TLSConfig:(*tlsutil.TLSConfig)(nil), SocketPath:\"/run/peerpod/hypervisor.sock\", "
           "PodsDir:\"/run/peerpod/pods\", ForwarderPort:\"15150\", ProxyTimeout:300000000000, EnableCloudConfigVerify:false}")
    caa(t, "[adaptor/cloud] Loading cloud providers: [aws azure ibmcloud libvirt]")
    caa(t, "[adaptor/cloud/azure] azure config &azure.Config{SubscriptionId:\"***\", ClientId:\"***\", TenantId:\"***\", ResourceGroupName:\"pp-rg\", "
           "Zone:\"\", Region:\"eastus\", SubnetId:\"***\", SecurityGroupName:\"\", SecurityGroupId:\"\", Size:\"Standard_D2as_v5\"}")
    caa(t + sec(1), "[adaptor] server started")
    caa(t_create, f"[adaptor/proxy] CreateSandbox: hostname:{pod_name} sandboxId:{sid}")
    caa(t_create, "[adaptor/proxy]     storages:")
    caa(t_create, "[adaptor/proxy]         mountpoint:/run/kata-containers/sandbox/shm source:shm fstype:tmpfs driver:ephemeral")
    caa(t_create, f"[adaptor/cloud] create a sandbox {sid} for pod {pod_name} in namespace {ns} (netns: /var/run/netns/cni-{r.uuid()})")
    caa(t_create + ms(300), f"[adaptor/cloud/azure] CreateInstance: name: \"{podvm}\"")
    caa(t_create + sec(71), f"[adaptor/cloud/azure] created VM successfully: /subscriptions/***/resourceGroups/pp-rg/providers/Microsoft.Compute/virtualMachines/{podvm}")
    caa(t_create + sec(71), f"[adaptor/cloud/azure] podNodeIP[0]=10.224.0.41")
    caa(t_create + sec(71), f"[adaptor/cloud] created an instance {podvm} for sandbox {sid}")
    caa(t_create + sec(71), f"[tunneler/vxlan] vxlan ppvxlan1 (remote 10.224.0.41:4789, id: 555001) created at /proc/1/task/14/ns/net")
    caa(t_create + sec(74), f"[adaptor/proxy] CreateContainer: containerID:{sid}")
    caa(t_create + sec(74), "[adaptor/proxy]     mounts:")
    for d, s, ty in [("/proc", "proc", "proc"), ("/dev", "tmpfs", "tmpfs"), ("/dev/pts", "devpts", "devpts"), ("/dev/shm", "shm", "bind")]:
        caa(t_create + sec(74), f"[adaptor/proxy]         destination:{d} source:{s} type:{ty}")
    caa(t_create + sec(74), "[adaptor/proxy]     annotations:")
    caa(t_create + sec(74), f"[adaptor/proxy]         io.kubernetes.cri.sandbox-id: {sid}")
    caa(t_create + sec(74), "[adaptor/proxy]         io.kubernetes.cri.container-type: sandbox")
    caa(t_create + sec(74), f"[adaptor/proxy]         io.kubernetes.cri.sandbox-name: {pod_name}")
    caa(t_create + sec(74), "[adaptor/proxy]         io.katacontainers.pkg.oci.container_type: pod_sandbox")
    caa(t_create + sec(75), f"[adaptor/proxy] StartContainer: containerID:{sid}")
    caa(t_create + sec(77), f"[adaptor/proxy] CreateContainer: containerID:{cid}")
    caa(t_create + sec(77), "[adaptor/proxy]     annotations:")
    caa(t_create + sec(77), f"[adaptor/proxy]         io.kubernetes.cri.sandbox-id: {sid}")
    caa(t_create + sec(77), "[adaptor/proxy]         io.kubernetes.cri.container-type: container")
    caa(t_create + sec(77), "[adaptor/proxy]         io.kubernetes.cri.image-name: docker.io/library/nginx:1.27")
    caa(t_create + sec(77), "[adaptor/proxy]         io.kubernetes.cri.container-name: nginx")
    caa(t_create + sec(96), f"[adaptor/proxy] StartContainer: containerID:{cid}")
    caa(t_del, f"[adaptor/proxy] SignalProcess: containerID:{cid} execID: signal:15")
    caa(t_del, f"[adaptor/proxy] WaitProcess: containerID:{cid} execID:")
    # verbatim kata-containers#10166 from here; the workload container goes first, the sandbox (pause) container fails
    caa(t_del, f"[adaptor/proxy] RemoveContainer: containerID:{cid}")
    caa(t_del, f"[adaptor/proxy] RemoveContainer: containerID:{sid}")
    caa(t_del, "[adaptor/proxy] RemoveContainer fails: rpc error: code = Internal desc = EINVAL: Invalid argument")
    stack = ["",
             "Stack backtrace:",
             "   0: anyhow::error::<impl core::convert::From<E> for anyhow::Error>::from",
             "   1: <rustjail::container::LinuxContainer as rustjail::container::BaseContainer>::destroy::{{closure}}",
             "   2: <kata_agent::rpc::AgentService as protocols::agent_ttrpc_async::AgentService>::remove_container::{{closure}}",
             "   3: <kata_agent::rpc::AgentService as protocols::agent_ttrpc_async::AgentService>::remove_container::{{closure}}",
             "   4: <protocols::agent_ttrpc_async::RemoveContainerMethod as ttrpc::asynchronous::utils::MethodHandler>::handler::{{closure}}",
             "   5: ttrpc::asynchronous::server::HandlerContext::handle_msg::{{closure}}",
             "   6: <core::future::poll_fn::PollFn<F> as core::future::future::Future>::poll",
             "   7: tokio::runtime::task::core::Core<T,S>::poll",
             "   8: tokio::runtime::task::harness::Harness<T,S>::poll",
             "   9: tokio::runtime::scheduler::multi_thread::worker::Context::run_task",
             "  10: tokio::runtime::scheduler::multi_thread::worker::Context::run",
             "  11: tokio::runtime::context::scoped::Scoped<T>::set",
             "  12: tokio::runtime::context::runtime::enter_runtime",
             "  13: tokio::runtime::scheduler::multi_thread::worker::run",
             "  14: <tokio::runtime::blocking::task::BlockingTask<T> as core::future::future::Future>::poll",
             "  15: tokio::runtime::blocking::pool::Inner::run",
             "  16: std::sys_common::backtrace::__rust_begin_short_backtrace",
             "  17: core::ops::function::FnOnce::call_once{{vtable.shim}}",
             "  18: std::sys::pal::unix::thread::Thread::new::thread_start",
             "  19: start_thread",
             "  20: clone"]
    L += stack
    for k in range(1, 4):
        tk = t_del + sec(2 ** k + 1)
        caa(tk, f"[adaptor/proxy] RemoveContainer: containerID:{sid}")
        caa(tk, "[adaptor/proxy] RemoveContainer fails: rpc error: code = Internal desc = EINVAL: Invalid argument")
        L += stack
    cp = os.path.join(S, "cloud-api-adaptor.log")
    write(cp, "\n".join(L))
    write(os.path.join(S, "kata-runtime-version.txt"),
          "kata-runtime  : 3.7.0\n   commit   : 8a7b2c6de45719a2ac4f71e8f5d2b4e3c9a1f076\n   OCI specs: 1.1.0+dev\n")
    write(os.path.join(S, "configuration-remote.toml"), "\n".join([
        "# Copyright (c) 2017-2019 Intel Corporation",
        "# Copyright (c) 2023 IBM Corporation",
        "#",
        "# SPDX-License-Identifier: Apache-2.0",
        "#",
        "# XXX: WARNING: this file is auto-generated.",
        "# XXX:",
        "# XXX: Source file: \"config/configuration-remote.toml.in\"",
        "# XXX: Project:",
        "# XXX:   Name: Kata Containers",
        "# XXX:   Type: kata",
        "",
        "[hypervisor.remote]",
        "remote_hypervisor_socket = \"/run/peerpod/hypervisor.sock\"",
        "remote_hypervisor_timeout = 600",
        "disable_guest_selinux = true",
        "default_vcpus = 1",
        "default_memory = 2048",
        "disable_selinux = false",
        "",
        "[agent.kata]",
        "dial_timeout = 90",
        "",
        "[runtime]",
        "internetworking_model = \"none\"",
        "disable_guest_seccomp = true",
        "disable_new_netns = true",
        "sandbox_cgroup_only = false",
        "static_sandbox_resource_mgmt = true",
        "vfio_mode = \"guest-kernel\"",
        "experimental = []"]))
    C = []
    c = lambda t, lv, m, **kv: C.append(ctrd(t, lv, m, **kv))
    md = f"&PodSandboxMetadata{{Name:{pod_name},Uid:{uid},Namespace:{ns},Attempt:0,}}"
    c(t_create - ms(40), "info", f"RunPodSandbox for {md}")
    c(t_create + sec(75) + ms(402), "info", f'RunPodSandbox for {md} returns sandbox id "{sid}"')
    c(t_create + sec(76), "info", f'CreateContainer within sandbox "{sid}" for container &ContainerMetadata{{Name:nginx,Attempt:0,}}')
    c(t_create + sec(95), "info", f'CreateContainer within sandbox "{sid}" for &ContainerMetadata{{Name:nginx,Attempt:0,}} returns container id "{cid}"')
    c(t_create + sec(96), "info", f'StartContainer for "{cid}"')
    c(t_create + sec(96) + ms(611), "info", f'StartContainer for "{cid}" returns successfully')
    c(t_del - ms(120), "info", f'StopContainer for "{cid}" with timeout 30 (s)')
    c(t_del - ms(90), "info", f'Stop container "{cid}" with signal terminated')
    c(t_del + ms(310), "info", f'StopContainer for "{cid}" returns successfully')
    for k in range(0, 4):
        tk = t_del + ms(330) + sec(0 if k == 0 else 2 ** k + 1)
        c(tk, "info", f'StopPodSandbox for "{sid}"')
        c(tk + ms(40), "info", f'Container to stop "{cid}" must be in running or unknown state, current state "CONTAINER_EXITED"')
        c(tk + ms(212), "error", f'StopPodSandbox for "{sid}" failed',
          error=f'failed to stop sandbox container "{sid}" in "SANDBOX_READY" state: failed to delete task: rpc error: code = Internal desc = '
                f"EINVAL: Invalid argument: unknown")
    write(os.path.join(S, "containerd.log"), "\n".join(C))
    now = t_del + sec(1202)
    rows = [["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
            ["confidential-containers-system", "cc-operator-controller-manager-5d9c8b7f6-" + r.sfx(), "2/2", "Running", "0", "6d", "10.244.1.7", node, "<none>", "<none>"],
            ["confidential-containers-system", "cc-operator-daemon-install-" + r.sfx(), "1/1", "Running", "0", "6d", "10.224.0.5", node, "<none>", "<none>"],
            ["confidential-containers-system", "cloud-api-adaptor-daemonset-" + r.sfx(), "1/1", "Running", "0", "6d", "10.224.0.5", node, "<none>", "<none>"],
            ["confidential-containers-system", "peerpodconfig-ctrl-caa-daemon-" + r.sfx(), "1/1", "Running", "0", "6d", "10.224.0.5", node, "<none>", "<none>"],
            [ns, pod_name, "0/1", "Terminating", "0", human_duration((now - t_create).total_seconds()), "10.244.1.23", node, "<none>", "<none>"]]
    write(os.path.join(S, "kubectl-get-pods.txt"), table(rows))
    write(os.path.join(S, "kubectl-get-runtimeclass.txt"), table([["NAME", "HANDLER", "AGE"], ["kata-remote", "kata-remote", "6d"]]))
    return {"caa": ("cloud-api-adaptor.log", first_line(cp, "RemoveContainer fails")), "sid": sid, "node": node,
            "stack": ("cloud-api-adaptor.log", first_line(cp, "BaseContainer>::destroy")),
            "ctrd": ("containerd.log", first_line(os.path.join(S, "containerd.log"), "returns sandbox id"))}


# ====================================================================== 6. multi-attach-rwo (Rancher logs collector tarball)
def build_multi_attach(tmp_root):
    """RKE2 v1.27.10 three-server cluster; rke2-node-03 went NotReady with the gitea pod's Longhorn RWO volume attached;
    the replacement pod on rke2-node-02 (where the collector ran) cannot attach it."""
    r = R(6606)
    host, ip = "rke2-node-02", "172.16.40.12"
    top = f"{host}-2024-03-02_10_11_12"
    B = os.path.join(tmp_root, top)
    t0 = D(2024, 2, 27, 8, 14, 51, 220187)       # kubelet start on node-02 (3 days before)
    t_down = D(2024, 3, 2, 9, 38, 4, 0)           # node-03 stops posting status
    t_sched = D(2024, 3, 2, 9, 43, 49, 611804)    # taint-based eviction after 300 s, new pod scheduled on node-02
    t_end = D(2024, 3, 2, 10, 11, 3, 408112)
    now = t_end + sec(9)
    kl = Kubelet(r, host, 2411, 27, "containerd", t0)
    kl.nameservers = "172.16.0.10 172.16.0.11 8.8.8.8"
    ts = D(2024, 3, 2, 9, 20, 0, 118002)          # the log file starts after rotation
    pods = [Pod(r, "kube-system", "rke2-canal-" + r.sfx(), [("hostpath", "lib-modules"), ("hostpath", "cni-bin-dir")], ["calico-node", "kube-flannel"], ip=ip),
            Pod(r, "kube-system", "rke2-coredns-rke2-coredns-7c98b7488c-" + r.sfx(), [("configmap", "config-volume")], ["coredns"], probe="/ready:8181"),
            Pod(r, "longhorn-system", "longhorn-manager-" + r.sfx(), [("hostpath", "dev"), ("hostpath", "proc"), ("hostpath", "longhorn")], ["longhorn-manager"],
                probe="/v1/healthz:9501"),
            Pod(r, "longhorn-system", "longhorn-csi-plugin-" + r.sfx(), [("hostpath", "socket-dir"), ("hostpath", "kubernetes-csi-dir")],
                ["node-driver-registrar", "longhorn-liveness-probe", "longhorn-csi-plugin"], ip=ip)]
    kl.noise(ts, t_end, pods, every=(60, 160))
    pv = "pvc-" + r.uuid()
    old = Pod(r, "gitea", "gitea-7b5d9c6f48-" + r.sfx(), [("csi", pv)], ["gitea"])
    new = Pod(r, "gitea", "gitea-7b5d9c6f48-" + r.sfx(), [("csi", "data"), ("configmap", "gitea-config")], ["gitea"])
    kl.syncloop(t_sched + ms(41), "ADD", [new])
    tp = kl.pod_start(t_sched + ms(43), new, skip=("data",), containers=False)
    vols = [new.token[1], "data", "gitea-config"]
    tw = t_sched + ms(43) + sec(123) + jt(r, 5, 40)
    to_times = []
    while tw < t_end:
        kl.mount_timeout(tw, new, ["data"], ["data"], "timed out waiting for the condition")
        to_times.append(tw)
        tw += sec(123) + jt(r, 200, 3000)
    kp = os.path.join(B, "rke2", "agent-logs", "kubelet.log")
    write(kp, kl.text())
    # kubectl outputs (server node)
    ev = []  # rows: ns, last, type, reason, object, subobject, source, message, first, count, name
    def evr(ns, first, last, typ, reason, obj, sub, source, msg, count):
        name = f"{obj.split('/', 1)[1]}.{int(first.timestamp() * 1e9):x}"
        ev.append((last, [ns, human_duration((now - last).total_seconds()), typ, reason, obj, sub, source, msg,
                          human_duration((now - first).total_seconds()), str(count), name]))
    evr("default", t_down + sec(41), t_down + sec(41), "Normal", "NodeNotReady", "node/rke2-node-03", "", "node-controller",
        "Node rke2-node-03 status is now: NodeNotReady", 1)
    evr("gitea", t_down + sec(41) + ms(230), t_down + sec(41) + ms(230), "Warning", "NodeNotReady", f"pod/{old.name}", "", "node-controller",
        "Node is not ready", 1)
    evr("gitea", t_sched - ms(720), t_sched - ms(720), "Normal", "TaintManagerEviction", f"pod/{old.name}", "", "taint-controller",
        "Marking for deletion Pod gitea/" + old.name, 1)
    evr("gitea", t_sched - ms(650), t_sched - ms(650), "Normal", "SuccessfulCreate", "replicaset/gitea-7b5d9c6f48", "", "replicaset-controller",
        "Created pod: " + new.name, 1)
    evr("gitea", t_sched, t_sched, "Normal", "Scheduled", f"pod/{new.name}", "", "default-scheduler",
        f"Successfully assigned gitea/{new.name} to {host}", 1)
    n_ma = int((t_end - t_sched).total_seconds() // 122) + 9
    evr("gitea", t_sched + ms(212), t_end - sec(r.randint(20, 90)), "Warning", "FailedAttachVolume", f"pod/{new.name}", "", "attachdetach-controller",
        f'Multi-Attach error for volume "{pv}" Volume is already exclusively attached to one node and can\'t be attached to another', n_ma)
    evr("gitea", to_times[0], to_times[-1], "Warning", "FailedMount", f"pod/{new.name}", "", f"kubelet, {host}",
        f"Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[]: "
        f"timed out waiting for the condition", len(to_times))
    rows = [["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]]
    rows += [x for _, x in sorted(ev, key=lambda e: e[0])]
    ep = os.path.join(B, "rke2", "kubectl", "events")
    write(ep, table(rows))
    nrows = [["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]]
    for nm, st, nip in [("rke2-node-01", "Ready", "172.16.40.11"), ("rke2-node-02", "Ready", ip), ("rke2-node-03", "NotReady", "172.16.40.13")]:
        nrows.append([nm, st, "control-plane,etcd,master", "187d", "v1.27.10+rke2r1", nip, "<none>", "Ubuntu 22.04.4 LTS",
                      "5.15.0-97-generic", "containerd://1.7.11-k3s2"])
    np_ = os.path.join(B, "rke2", "kubectl", "nodes")
    write(np_, table(nrows))
    prow = [["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]]
    age = lambda t: human_duration((now - t).total_seconds())
    prow.append(["gitea", old.name, "1/1", "Terminating", "0", "23d", old.ip, "rke2-node-03", "<none>", "<none>"])
    prow.append(["gitea", new.name, "0/1", "ContainerCreating", "0", age(t_sched), "<none>", host, "<none>", "<none>"])
    for p in pods:
        prow.append([p.ns, p.name, f"{len(p.containers)}/{len(p.containers)}", "Running", "0", "3d1h", p.ip, host, "<none>", "<none>"])
    prow[1:] = sorted(prow[1:], key=lambda x: (x[0], x[1]))
    write(os.path.join(B, "rke2", "kubectl", "pods"), table(prow))
    S = os.path.join(B, "systeminfo")
    write(os.path.join(S, "hostname"), host)
    write(os.path.join(S, "osrelease"), JAMMY_OS_RELEASE + 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n')
    write(os.path.join(S, "uname"), f"Linux {host} 5.15.0-97-generic #107-Ubuntu SMP Wed Feb 7 13:26:48 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux")
    write(os.path.join(S, "packages-dpkg"), dpkg_l([("ii",) + p for p in JAMMY + JAMMY_NFS] +
                                                     [("ii", "open-iscsi", "2.1.5-1ubuntu1", "amd64", "iSCSI initiator tools")]))
    mnt = ["sysfs on /sys type sysfs (rw,nosuid,nodev,noexec,relatime)", "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)",
           "/dev/mapper/ubuntu--vg-ubuntu--lv on / type ext4 (rw,relatime)",
           "/dev/sda2 on /boot type ext4 (rw,relatime)"]
    for p in pods:
        mnt.append(f"tmpfs on /var/lib/kubelet/pods/{p.uid}/volumes/kubernetes.io~projected/{p.token[1]} type tmpfs (rw,relatime,size=16224888k,inode64)")
    mnt.append(f"tmpfs on /var/lib/kubelet/pods/{new.uid}/volumes/kubernetes.io~projected/{new.token[1]} type tmpfs (rw,relatime,size=16224888k,inode64)")
    write(os.path.join(S, "mount"), "\n".join(mnt))
    write(os.path.join(B, "versions"), f"Kubernetes version: v1.27.10+rke2r1\nRKE2 version: v1.27.10+rke2r1 (a1f4e9c46eb5b0d5f4a5e8e2d6d2d6f4e7b2a5c1)\n"
                                       f"OS: Ubuntu 22.04.4 LTS\nKernel: 5.15.0-97-generic\nDocker: not installed\n")
    write(os.path.join(B, "collector-output.log"), "\n".join([
        "Detected RKE2", "Collecting system info", "Collecting rke2 cluster info", "Collecting rke2 agent logs",
        "Collecting networking info", "Collecting journald logs", "Archiving logs"]))
    rel = lambda p: "./" + os.path.relpath(p, tmp_root)
    return top, {"events": (rel(ep), first_line(ep, "Multi-Attach error")), "timeout": (rel(ep), first_line(ep, "Unable to attach or mount")),
                 "kubelet": (rel(kp), first_line(kp, "Unable to attach or mount volumes")), "nodes": (rel(np_), first_line(np_, "NotReady")),
                 "pv": pv}, int(now.replace(tzinfo=dt.timezone.utc).timestamp())


# ====================================================================== 8. must-gather-multiattach (OpenShift)
# go-yaml v2 as sigs.k8s.io/yaml drives it for `oc adm inspect`: keys sorted, block style, sequences not indented
# under their key, strings plain when they can be, single-quoted when they hold ": " or " #", double-quoted when
# they would read as another type, and plain/single-quoted scalars folded at a space once the line passes 80 columns
# (continuation lines indented two more than the key).
YAML_WIDTH = 80


def _y_needs_double(v):
    import re as _re
    return (v == "" or v.lower() in ("true", "false", "null", "~", "yes", "no", "on", "off", "y", "n")
            or _re.fullmatch(r"[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?", v) is not None
            or _re.fullmatch(r"\d{4}-\d\d-\d\d([Tt ].*)?", v) is not None)


def _y_plain_ok(v):
    return (v[0] not in "-?:,[]{}#&*!|>'\"%@`" and ": " not in v and " #" not in v and not v.endswith(":")
            and v == v.strip() and "\n" not in v and "\t" not in v)


def _y_fold(text, col, indent):
    """Write `text` starting at column `col`, replacing a space by a line break (plus indent) whenever the line is
    already past the width and the next character is not a space (go-yaml's write_plain/single_quoted)."""
    out, c = [], col
    for i, ch in enumerate(text):
        if ch == " " and c > YAML_WIDTH and 0 < i < len(text) - 1 and text[i + 1] != " " and text[i - 1] != " ":
            out.append("\n" + " " * indent)
            c = indent
        else:
            out.append(ch)
            c += 1
    return "".join(out)


def y_scalar(v, col, indent):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v is None:
        return "null"
    if _y_needs_double(v):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if _y_plain_ok(v):
        return _y_fold(v, col, indent)
    return _y_fold("'" + v.replace("'", "''") + "'", col, indent)


def y_dump(obj, indent=0):
    lines = []

    def mapping(d, ind, first_prefix=None):
        for n, k in enumerate(sorted(d)):
            pre = first_prefix if (n == 0 and first_prefix is not None) else " " * ind
            v = d[k]
            head = f"{pre}{k}:"
            if isinstance(v, dict) and v:
                lines.append(head)
                mapping(v, ind + 2)
            elif isinstance(v, list) and v:
                lines.append(head)
                sequence(v, ind)
            elif isinstance(v, dict):
                lines.append(head + " {}")
            elif isinstance(v, list):
                lines.append(head + " []")
            else:
                lines.append(head + " " + y_scalar(v, len(head) + 1, ind + 2))

    def sequence(items, ind):
        for it in items:
            if isinstance(it, dict) and it:
                mapping(it, ind + 2, first_prefix=" " * ind + "- ")
            else:
                lines.append(" " * ind + "- " + y_scalar(it, ind + 2, ind + 2))

    mapping(obj, indent)
    return "---\n" + "\n".join(lines) + "\n"


def rfc3339(t):
    return f"{t:%Y-%m-%dT%H:%M:%SZ}"


def build_must_gather(tmp_root):
    """OpenShift 4.14 must-gather, tarred by the customer: worker ocp-w-2 stopped posting status with the sso
    database's RBD volume attached; the replacement pod on ocp-w-1 gets `Multi-Attach ... already used by pod(s)`."""
    r = R(8808)
    top = "must-gather.local.5190245623188471362"
    image = "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-" + hashlib.sha256(b"must-gather 4.14").hexdigest()
    B = os.path.join(tmp_root, top, image)
    dom = "lab.example.com"
    masters = [f"ocp-m-{i}.{dom}" for i in range(3)]
    w1, w2 = f"ocp-w-1.{dom}", f"ocp-w-2.{dom}"
    kver, crio = "v1.27.8+4fab27b", "cri-o://1.27.2-2.rhaos4.14.git9d684e2.el9"
    t0 = D(2024, 2, 5, 2, 3, 11, 408122)            # ocp-w-1 kubelet started (node boot)
    t_down = D(2024, 2, 5, 9, 51, 37, 0)          # ocp-w-2 stops posting status
    t_sched = D(2024, 2, 5, 9, 57, 22, 119481)    # eviction after 300 s + the new pod scheduled on ocp-w-1
    t_end = D(2024, 2, 5, 10, 40, 12, 331207)
    now = t_end + sec(31)
    pv = "pvc-" + r.uuid()
    kl = Kubelet(r, w1, 2629, 27, "cri-o", t0)
    kl.nameservers = "10.70.0.10 10.70.0.11 10.70.0.12"
    pods = [Pod(r, "openshift-dns", "dns-default-" + r.sfx(), [("configmap", "config-volume"), ("secret", "metrics-tls")], ["dns", "kube-rbac-proxy"],
                probe="/health:8080"),
            Pod(r, "openshift-monitoring", "node-exporter-" + r.sfx(), [("hostpath", "sys"), ("hostpath", "root")], ["node-exporter", "kube-rbac-proxy"]),
            Pod(r, "openshift-storage", "csi-rbdplugin-" + r.sfx(), [("hostpath", "plugin-dir"), ("hostpath", "registration-dir")],
                ["driver-registrar", "csi-rbdplugin"])]
    kl.noise(t_end - dt.timedelta(hours=8), t_end, pods, every=(90, 240))
    old = Pod(r, "sso", "sso-mysql-1-" + r.sfx(), [("csi", "sso-mysql-data")], ["sso-mysql"])
    new = Pod(r, "sso", "sso-mysql-1-" + r.sfx(), [("csi", "sso-mysql-data"), ("configmap", "sso-mysql-config")], ["sso-mysql"])
    kl.syncloop(t_sched + ms(58), "ADD", [new])
    kl.pod_start(t_sched + ms(61), new, skip=("sso-mysql-data",), containers=False)
    tw = t_sched + ms(61) + sec(123) + jt(r, 5, 40)
    to_times = []
    while tw < t_end:
        kl.mount_timeout(tw, new, ["sso-mysql-data"], ["sso-mysql-data"], "timed out waiting for the condition")
        to_times.append(tw)
        tw += sec(123) + jt(r, 200, 3000)
    # `oc adm node-logs` output: journald short-precise, kubenswrapper on OCP 4.x
    jlines = [f"{t:%b %d %H:%M:%S}.{t.microsecond:06d} {w1} kubenswrapper[{kl.pid}]: {x}" for t, x in kl.timed()]
    klog_text = "\n".join(jlines) + "\n"
    kp = os.path.join(B, "nodes", w1, f"{w1}_logs_kubelet.gz")
    os.makedirs(os.path.dirname(kp), exist_ok=True)
    with open(kp, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
            g.write(klog_text.encode())
    # the masters' kubelets, interleaved in one file as `oc adm node-logs --role=master -u kubelet` prints them
    ml = []
    for i, m in enumerate(masters):
        mk = Kubelet(r, m, 2210 + i * 7, 27, "cri-o", t0)
        mk.nameservers = kl.nameservers
        mpods = [Pod(r, "openshift-etcd", f"etcd-{m}", [("hostpath", "static-pod-dir")], ["etcd"], probe="/readyz:9980")]
        mk.noise(t_end - dt.timedelta(hours=1), t_end, mpods, every=(120, 300))
        ml += [(t, f"{t:%b %d %H:%M:%S}.{t.microsecond:06d} {m} kubenswrapper[{mk.pid}]: {x}") for t, x in mk.timed()]
    hp = os.path.join(B, "host_service_logs", "masters", "kubelet_service.log")
    write(hp, "\n".join(x for _, x in sorted(ml)))

    # cluster-scoped-resources/core/nodes/<node>.yaml
    def node(name, role, ready, hb):
        cond = {"lastHeartbeatTime": rfc3339(hb), "lastTransitionTime": rfc3339(hb), "type": "Ready"}
        if ready:
            cond.update(message="kubelet is posting ready status", reason="KubeletReady", status="True")
        else:
            cond.update(message="Kubelet stopped posting node status.", reason="NodeStatusUnknown", status="Unknown")
        return {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, f"node-role.kubernetes.io/{role}": ""}},
                "spec": {"providerID": f"vsphere://4233{r.hexid()[:4]}-{r.hexid()[:4]}"} if ready else
                        {"taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable", "timeAdded": rfc3339(t_down + sec(40))},
                                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "timeAdded": rfc3339(t_down + sec(42))}]},
                "status": {"conditions": [cond],
                           "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": crio,
                                        "kernelVersion": "5.14.0-284.41.1.el9_2.x86_64", "kubeProxyVersion": kver, "kubeletVersion": kver,
                                        "operatingSystem": "linux",
                                        "osImage": "Red Hat Enterprise Linux CoreOS 414.92.202311281318-0 (Plow)"},
                           **({"volumesAttached": [{"devicePath": "", "name": f"kubernetes.io/csi/openshift-storage.rbd.csi.ceph.com^0001-0011-openshift-storage-0000000000000001-{r.uuid()}"}]}
                              if name == w2 else {})}}
    NP = os.path.join(B, "cluster-scoped-resources", "core", "nodes")
    for m in masters:
        write(os.path.join(NP, m + ".yaml"), y_dump(node(m, "master", True, t_end - sec(r.randint(1, 40)))))
    write(os.path.join(NP, w1 + ".yaml"), y_dump(node(w1, "worker", True, t_end - sec(7))))
    n2 = os.path.join(NP, w2 + ".yaml")
    write(n2, y_dump(node(w2, "worker", False, t_down)))

    # namespaces/<ns>/core/{events,pods}.yaml
    def event(ns, first, last, typ, reason, kind, name, comp, msg, count, host=None):
        ev = {"apiVersion": "v1", "count": count, "eventTime": None, "firstTimestamp": rfc3339(first), "lastTimestamp": rfc3339(last),
              "involvedObject": {"apiVersion": "v1", "kind": kind, "name": name, "namespace": ns} if ns else {"kind": kind, "name": name},
              "kind": "Event", "message": msg,
              "metadata": {"creationTimestamp": rfc3339(first), "name": f"{name}.{int(first.timestamp() * 1e9):x}", "namespace": ns or "default"},
              "reason": reason, "reportingComponent": "", "reportingInstance": "", "source": {"component": comp}, "type": typ}
        if host:
            ev["source"]["host"] = host
        return ev
    n_ma = int((t_end - t_sched).total_seconds() // 122) + 11
    ma_msg = f'Multi-Attach error for volume "{pv}" Volume is already used by pod(s) {old.name}'
    to_msg = ("Unable to attach or mount volumes: unmounted volumes=[sso-mysql-data], unattached volumes=[sso-mysql-data "
              f"sso-mysql-config {new.token[1]}], failed to process volumes=[]: timed out waiting for the condition")
    sso_events = [
        event("sso", t_down + sec(41), t_down + sec(41), "Warning", "NodeNotReady", "Pod", old.name, "node-controller", "Node is not ready", 1),
        event("sso", t_sched - ms(811), t_sched - ms(811), "Normal", "TaintManagerEviction", "Pod", old.name, "taint-controller",
              f"Marking for deletion Pod sso/{old.name}", 1),
        event("sso", t_sched - ms(702), t_sched - ms(702), "Normal", "SuccessfulCreate", "ReplicationController", "sso-mysql-1",
              "replication-controller", "Created pod: " + new.name, 1),
        event("sso", t_sched, t_sched, "Normal", "Scheduled", "Pod", new.name, "default-scheduler",
              f"Successfully assigned sso/{new.name} to {w1}", 1),
        event("sso", t_sched + ms(240), t_end - sec(r.randint(20, 90)), "Warning", "FailedAttachVolume", "Pod", new.name,
              "attachdetach-controller", ma_msg, n_ma),
        event("sso", to_times[0], to_times[-1], "Warning", "FailedMount", "Pod", new.name, "kubelet", to_msg, len(to_times), host=w1),
    ]
    ep = os.path.join(B, "namespaces", "sso", "core", "events.yaml")
    write(ep, y_dump({"apiVersion": "v1", "items": sso_events, "kind": "EventList", "metadata": {"resourceVersion": "48211907"}}))
    write(os.path.join(B, "namespaces", "default", "core", "events.yaml"), y_dump(
        {"apiVersion": "v1", "kind": "EventList", "metadata": {"resourceVersion": "48211907"},
         "items": [event("", t_down + sec(40), t_down + sec(40), "Normal", "NodeNotReady", "Node", w2, "node-controller",
                         f"Node {w2} status is now: NodeNotReady", 1)]}))

    def pod_obj(p, node_name, phase, state, deleting=False):
        vols = []
        for kind, vol in p.volumes:
            if kind == "csi":
                vols.append({"name": vol, "persistentVolumeClaim": {"claimName": vol}})
            elif kind == "configmap":
                vols.append({"configMap": {"defaultMode": 420, "name": vol}, "name": vol})
            elif kind == "projected":
                vols.append({"name": vol, "projected": {"defaultMode": 420, "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}})
        meta = {"name": p.name, "namespace": p.ns, "uid": p.uid, "labels": {"deployment": "sso-mysql-1", "deploymentconfig": "sso-mysql"},
                "ownerReferences": [{"apiVersion": "v1", "kind": "ReplicationController", "name": "sso-mysql-1", "uid": r.uuid()}]}
        if deleting:
            meta["deletionTimestamp"] = rfc3339(t_sched - ms(811) + sec(30))
            meta["deletionGracePeriodSeconds"] = 30
        c = p.containers[0]
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                "spec": {"nodeName": node_name, "containers": [{"name": c, "image": "registry.redhat.io/rhel8/mysql-80:1-254",
                          "volumeMounts": [{"mountPath": "/var/lib/mysql/data", "name": "sso-mysql-data"}]}], "volumes": vols},
                "status": {"phase": phase, "containerStatuses": [{"name": c, "image": "registry.redhat.io/rhel8/mysql-80:1-254", "imageID": "",
                           "ready": phase == "Running" and not deleting, "restartCount": 0, "started": phase == "Running", "state": state}]}}
    pl = [pod_obj(old, w2, "Running", {"running": {"startedAt": "2024-01-12T08:31:05Z"}}, deleting=True),
          pod_obj(new, w1, "Pending", {"waiting": {"reason": "ContainerCreating"}})]
    pp = os.path.join(B, "namespaces", "sso", "core", "pods.yaml")
    write(pp, y_dump({"apiVersion": "v1", "items": pl, "kind": "PodList", "metadata": {"resourceVersion": "48211907"}}))
    write(os.path.join(B, "namespaces", "sso", "pods", new.name, new.name + ".yaml"), y_dump(pl[1]))
    write(os.path.join(B, "namespaces", "sso", "sso.yaml"), y_dump(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "sso"}, "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}))
    write(os.path.join(B, "cluster-scoped-resources", "config.openshift.io", "clusterversions", "version.yaml"), y_dump(
        {"apiVersion": "config.openshift.io/v1", "kind": "ClusterVersion", "metadata": {"name": "version"},
         "spec": {"channel": "stable-4.14", "clusterID": r.uuid()},
         "status": {"desired": {"version": "4.14.5"}, "history": [{"state": "Completed", "version": "4.14.5"}]}}))
    write(os.path.join(B, "timestamp"), f"{now:%Y-%m-%d %H:%M:%S}.{now.microsecond:06d} +0000 UTC m=+0.070211031\n"
                                        f"{now + sec(214):%Y-%m-%d %H:%M:%S}.{now.microsecond:06d} +0000 UTC m=+214.118347611")
    write(os.path.join(B, "version"), "ClientVersion: 4.14.5\nClusterVersion: Stable at \"4.14.5\"\nClusterOperators:\n\tAll healthy and stable")
    write(os.path.join(B, "event-filter.html"), "<!DOCTYPE html><html><head><title>Events</title></head><body><table id=\"events\"></table></body></html>")
    rel = lambda p: os.path.relpath(p, tmp_root)
    return top, {"events": (rel(ep), first_line(ep, "Multi-Attach error")), "timeout": (rel(ep), first_line(ep, "Unable to attach or mount")),
                 "node": (rel(n2), first_line(n2, "status: Unknown")), "pods": (rel(pp), first_line(pp, "deletionTimestamp")),
                 "kubelet": os.path.relpath(kp, tmp_root), "pv": pv, "old": old.name, "new": new.name}, int(now.replace(tzinfo=dt.timezone.utc).timestamp())


def pack_plain_tgz(src_root, top, out, mtime):
    """tar.gz as `tar -czf out <top>` makes it: entries <top>/..., sorted, owner root, fixed mtime."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        paths = []
        for dp, dns, fns in os.walk(os.path.join(src_root, top)):
            paths.append(dp)
            paths += [os.path.join(dp, f) for f in fns]
        for full in sorted(paths):
            ti = tf.gettarinfo(full, arcname=os.path.relpath(full, src_root))
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            ti.mtime = mtime
            ti.mode = 0o755 if ti.isdir() else 0o644
            if ti.isdir():
                tf.addfile(ti)
            else:
                with open(full, "rb") as f:
                    tf.addfile(ti, f)
    with open(out, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=mtime) as g:
            g.write(raw.getvalue())


# ====================================================================== 7. healthy-node
def build_healthy(S):
    r = R(7707)
    node, ip, pid = "kube-w07", "10.31.4.57", 1391
    t0 = D(2024, 10, 8, 7, 58, 2, 311873)
    t_end = D(2024, 10, 8, 9, 0, 41, 550217)
    kl = Kubelet(r, node, pid, 28, "containerd", t0)
    kl.nameservers = "10.31.0.2 10.31.0.3 8.8.8.8"
    t = kl.boot(t0, boot_rows_29(node, "v1.28.14", "containerd", "1.7.22"))
    pods = jammy_node_pods(r, ip)
    web = Pod(r, "shop", "storefront-66b9c7d8f5-" + r.sfx(), [("configmap", "storefront-config"), ("secret", "storefront-tls")], ["storefront"],
              probe="/ready:8080")
    pods += [web, Pod(r, "shop", "search-5d4f8b7c69-" + r.sfx(), [("nfs", "search-index")], ["search"], probe="/health:9200")]
    t += ms(402)
    kl.syncloop(t, "ADD", pods)
    for p in pods:
        t = kl.pod_start(t + jt(r, 50, 600), p, sandbox_msg="No ready sandbox")
    kl.noise(t + sec(20), t_end, pods, every=(60, 170))
    kl.cron(D(2024, 10, 8, 8, 15, 0, 207761), t_end, "shop", "sitemap-refresh", 15, [("configmap", "sitemap-config")], ["refresh"])
    N = os.path.join(S, "node")
    write(os.path.join(N, "kubelet.log"), kl.text())
    write(os.path.join(N, "dpkg-l.txt"), dpkg_l([("ii",) + p for p in JAMMY + jammy_kube(28, 14, "1.7.22-1") + JAMMY_NFS] +
                                                 [("rc",) + p for p in JAMMY_RC]))
    write(os.path.join(N, "os-release"), JAMMY_OS_RELEASE)
    write(os.path.join(N, "hostname"), node)
    mi = MountInfo(24, r, first_peer=26, first_anon=35)
    root, run = jammy_base(mi)
    for p in pods:
        kubelet_tmpfs(mi, root, p, "rw,size=16224888k,inode64")
        if p.name.startswith("search"):
            mi.add(root, mi.anon(), "/", f"/var/lib/kubelet/pods/{p.uid}/volumes/kubernetes.io~nfs/search-index", "rw,relatime",
                   mi.peer(), "nfs4", "10.31.9.20:/srv/search-index",
                   f"rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr={ip},local_lock=none,addr=10.31.9.20")
        containerd_pod_mounts(mi, r, run, p)
    write(os.path.join(N, "mountinfo"), mi.text())
    ev = EventLog()
    hs = "kubelet"
    ts = t0 + sec(5)
    ev.emit(ts, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.", source=hs)
    ev.emit(ts + sec(2), "Normal", "Pulled", 'Container image "registry.shop.example/storefront:5.12.3" already present on machine', source=hs)
    ev.emit(ts + sec(2), "Normal", "Created", "Created container storefront", source=hs)
    ev.emit(ts + sec(3), "Normal", "Started", "Started container storefront", source=hs)
    pod = dict(name=web.name, ns="shop", sa="storefront", node=node, host_ip=ip, start=D(2024, 10, 1, 12, 4, 55),
               labels=["app=storefront", "pod-template-hash=66b9c7d8f5"], phase="Running", ip=web.ip,
               controlled_by="ReplicaSet/storefront-66b9c7d8f5",
               containers=[dict(name="storefront", cid=f"containerd://{web.cids['storefront']}", image="registry.shop.example/storefront:5.12.3",
                                image_id="registry.shop.example/storefront@sha256:" + r.hexid(), port="8080/TCP", host_port="0/TCP",
                                state=["    State:\tRunning", f"      Started:\t{rfc1123z(ts + sec(3))}", "    Last State:\tTerminated",
                                       "      Reason:\tUnknown", "      Exit Code:\t255", f"      Started:\t{rfc1123z(D(2024, 10, 1, 12, 5, 9))}",
                                       f"      Finished:\t{rfc1123z(t0 - sec(80))}"],
                                ready="True", restarts=1, limits=[("memory", "512Mi")], requests=[("cpu", "100m"), ("memory", "256Mi")],
                                probes=[("Readiness", "http-get http://:8080/ready delay=5s timeout=1s period=10s #success=1 #failure=3")],
                                mounts=[("/etc/storefront", "storefront-config", "ro"), ("/etc/tls", "storefront-tls", "ro"),
                                        ("/var/run/secrets/kubernetes.io/serviceaccount", web.token[1], "ro")])],
               conditions=[("Initialized", "True"), ("Ready", "True"), ("ContainersReady", "True"), ("PodScheduled", "True")],
               volumes=[("storefront-config", "configmap", dict(name="storefront-config")), ("storefront-tls", "secret", dict(name="storefront-tls")),
                        (web.token[1], "projected", {})],
               qos="Burstable", events=ev.list())
    write(os.path.join(S, f"describe-pod-{web.name}.txt"), describe_pod(pod, t_end + sec(12), 28))
    return {"node": node, "describe": f"describe-pod-{web.name}.txt"}


# ====================================================================== main + README
DIRS = ["nfs-helper-missing-adhoc", "nfs-red-herring-access-denied", "subpath-utillinux-k0s", "subpath-deleted-sosreport",
        "kata-peerpods-einval", "healthy-node"]


def readme(e):
    s1, s2, s3, s4, s5, (top, s6), s7, s8 = e
    L = lambda x: f"`{x[0]}` line {x[1]}"
    rows = [
        ("`nfs-helper-missing-adhoc/`", "ad-hoc folder, two nodes side by side (`worker-01/`, `worker-02/`: kubelet.log, rpm-qa.txt, "
         "mountinfo, os-release, hostname) + `describe-pod-invoice-export-0.txt`",
         "worker-01, worker-02 (CentOS 7.9, kubelet v1.23.17, docker 20.10)",
         "`nfs-client-helper-missing` **confirmed**, on worker-02 only; `mount-wait-timeout` folded (not reported)",
         f"{L(s1['kubelet'])} (`Mount failed: exit status 32`, then `Mounting command: systemd-run`, `-t nfs`, old util-linux "
         f"`missing codepage or helper program` text); events: {L(s1['describe'])}",
         "worker-02/rpm-qa.txt has no `nfs-utils` and its mountinfo no nfs/nfs4 entry; worker-01/rpm-qa.txt lists "
         "`nfs-utils-1.3.0-0.68.el7.2.x86_64` and its mountinfo has an `nfs4` mount of the same export `10.20.0.15:/export/invoices`; "
         "describe shows Node `worker-02`, nine single FailedMount events plus `(combined from similar events)` ones and the "
         "`Unable to attach or mount volumes ... timed out waiting for the condition` timeout for the same volume"),
        ("`nfs-red-herring-access-denied/`", "ad-hoc folder: `node/` (kubelet.log, dpkg-l.txt, dpkg.log, mountinfo, os-release, hostname) + "
         "`describe-pod-media-catalog-0.txt`", "k8s-ubu-w3 (Ubuntu 22.04, kubelet v1.29.6, containerd 1.6.31)",
         "`nfs-access-denied` **confirmed**; `nfs-client-helper-missing` ruled out (nfs-common installed); `mount-wait-timeout` folded",
         f"{L(s2['kubelet'])} (`Mount failed: exit status 32`; its `Output: mount.nfs: access denied by server while mounting "
         f"10.9.8.7:/exports/media` is {L(s2['ad'])}); red-herring event with the util-linux 2.37 helper text: {L(s2['herring'])}",
         f"{L(s2['dpkg'])} `ii  nfs-common 1:2.6.1-1ubuntu1.2`; {L(s2['dpkglog'])} shows the install at 13:11:53, after the helper-text "
         "event (13:02-13:10) and before the kubelet restart (13:12:40), after which every failure is `access denied`; mountinfo has an "
         "`nfs4` mount of another export of the same server"),
        ("`subpath-utillinux-k0s/`", "troubleshoot (k0s worker spec): `host-collectors/run-host/{journalctl-k0s,pacman-q,pacman-log,mount,uname}.txt`, "
         "`host-collectors/system/hostos_info.json`, `cluster-resources/events/default.json`, `version.yaml`",
         "arch-k0s-w1 (Arch Linux, k0s v1.33.1+k0s, containerd 1.7.27, kubelet root `/var/lib/k0s/kubelet`)",
         "`subpath-utillinux-2.41-regression` **confirmed**",
         f"{L(s3['events'])} (`Failed` event, `failed to mkdir \".../volume-subpaths/...\": mkdir ...: file exists`); journal: "
         f"{L(s3['journal'])} (`bind mounting \\\"/proc/1342/fd/N\\\"`, k0s wrapper), containerd error {L(s3['ctrd'])}",
         f"{L(s3['pacman'])} `util-linux 2.41-3` (and `util-linux-libs 2.41-3`); pacman-log.txt shows `upgraded util-linux (2.40.4-1 -> 2.41-3)` "
         f"before the boot; {L(s3['mount'])}: the subPath targets are `proc` mounts; both failing pods use subPath, the other pods "
         "on the node run; root fs is btrfs (not causal)"),
        (f"`subpath-deleted-sosreport/`", f"sosreport tree `{s4['sos']}/` (sos 3.9; `installed-rpms`, `uname`, `hostname` and "
         "`etc/os-release` are relative symlinks)", f"{s4['host']} (CentOS 7.8, Kubernetes v1.18.3, docker 18.06.3-ce)",
         "`subpath-configmap-deleted-source` **confirmed**",
         f"{L(s4['kubelet'])} (`StartContainer ... OCI runtime create failed ... mounting \\\\\\\"/var/lib/kubelet/pods/.../volume-subpaths/"
         f"app-settings/billing-api/0\\\\\\\" ... caused \\\\\\\"no such file or directory\\\\\\\"`)",
         f"{L(s4['mountinfo'])}: the subPath bind mount's root ends in `//deleted`; docker journal {L(s4['docker'])} has the same error; "
         "kubectl version v1.18.3 (< 1.19), installed-rpms `kubelet-1.18.3-0`; describe shows restartCount > 0, `ContainerCannotRun`, "
         "`Exit Code: 128` and a configMap volume with `path=\"application.properties\"`; dmesg has the memory-cgroup OOM kill that caused the restart"),
        ("`kata-peerpods-einval/`", "ad-hoc folder: `cloud-api-adaptor.log`, `kata-runtime-version.txt`, `configuration-remote.toml`, "
         "`containerd.log`, `kubectl-get-pods.txt`, `kubectl-get-runtimeclass.txt`", f"{s5['node']} (peer pods, Kata 3.7.0, remote hypervisor)",
         "`kata-remote-hypervisor-destroy-einval` **confirmed**",
         f"{L(s5['caa'])} (`RemoveContainer fails: rpc error: code = Internal desc = EINVAL: Invalid argument`), stack frame "
         f"`rustjail::container::BaseContainer>::destroy` at {L(s5['stack'])}",
         f"the failing id is the sandbox: {L(s5['ctrd'])} `RunPodSandbox ... returns sandbox id \"{s5['sid'][:12]}...\"` (the workload "
         "container is removed fine); kata-runtime-version.txt `3.7.0`; configuration-remote.toml `[hypervisor.remote]`; runtime class "
         "`kata-remote`; kubectl-get-pods.txt shows the pod `Terminating`; containerd StopPodSandbox retries fail"),
        ("`multi-attach-rwo.tar.gz`", f"Rancher logs collector tarball, entries `./{top}/...` (`rke2/kubectl/{{events,nodes,pods}}`, "
         "`rke2/agent-logs/kubelet.log`, `systeminfo/`, `versions`, `collector-output.log`)",
         "rke2-node-02 (collector host, new pod), rke2-node-03 (NotReady, old pod); RKE2 v1.27.10+rke2r1, Ubuntu 22.04",
         "`multi-attach-rwo` **confirmed**; `mount-wait-timeout` folded (not reported)",
         f"{L(s6['events'])} (`FailedAttachVolume` from `attachdetach-controller`: `Multi-Attach error for volume \"{s6['pv']}\" Volume is "
         f"already exclusively attached to one node and can't be attached to another`)",
         f"{L(s6['nodes'])} `rke2-node-03 NotReady`; rke2/kubectl/pods shows the old replica `Terminating` on rke2-node-03 and the new one "
         f"`ContainerCreating` on rke2-node-02; the FailedMount timeout for volume `data` of the same pod ({L(s6['timeout'])}; kubelet "
         f"{L(s6['kubelet'])}) is the symptom"),
        ("`must-gather-multiattach.tar.gz`", "OpenShift must-gather tarred by the customer (`must-gather.local.<n>/<image>/`: "
         "`namespaces/<ns>/core/{events,pods}.yaml` with go-yaml's folded scalars, `namespaces/sso/pods/<pod>/<pod>.yaml`, "
         "`cluster-scoped-resources/core/nodes/<node>.yaml`, gzip per-node kubelet log `nodes/<node>/<node>_logs_kubelet.gz` "
         "(`kubenswrapper`, microsecond journald times), `host_service_logs/masters/kubelet_service.log` of three masters)",
         "ocp-w-1.lab.example.com (new pod), ocp-w-2.lab.example.com (Unknown, old pod), three masters; OCP 4.14.5, "
         "Kubernetes v1.27.8+4fab27b, RHCOS 414.92, CRI-O 1.27.2",
         "`multi-attach-rwo` **confirmed**; `mount-wait-timeout` folded (not reported)",
         f"{L(s8['events'])} (`FailedAttachVolume`: `Multi-Attach error for volume \"{s8['pv']}\" Volume is already used by pod(s) "
         f"{s8['old']}`, folded over two lines by the YAML emitter)",
         f"{L(s8['node'])}: ocp-w-2's Ready condition is `Unknown` (`Kubelet stopped posting node status.`); {L(s8['pods'])}: the old pod "
         f"on ocp-w-2 has a deletionTimestamp; the FailedMount timeout of {s8['new']} ({L(s8['timeout'])}; kubelet `{s8['kubelet']}`) is the symptom"),
        ("`healthy-node/`", "ad-hoc folder: `node/` (kubelet.log, dpkg-l.txt, mountinfo, os-release, hostname) + "
         f"`{s7['describe']}`", f"{s7['node']} (Ubuntu 22.04, kubeadm v1.28.14, containerd 1.7.22)",
         "none: no finding at all", "n/a (only benign lines: `Nameserver limits exceeded` E lines, readiness `Probe failed` lines, "
         "`Cleaned up orphaned pod volumes dir` for finished CronJob pods, the start-up `Skipping pod synchronization`)",
         "an NFS volume is mounted fine (`nfs4` in mountinfo, `nfs-common` in dpkg-l); describe shows a Running, Ready pod with Normal events only"),
    ]
    out = ["# podmortem sample bundles", "",
           "Generated by `python3 samples/generate.py` (standard library only, deterministic: the same bytes on every run).",
           "Do not edit the sample files by hand; change the generator and re-run it. Hosts, UIDs, container ids and timestamps",
           "are synthetic; the failure texts are the verbatim forms in `signatures.md` (see the generator's header for where each",
           "format comes from). Line numbers below are 1-based and are recomputed by the generator.", "",
           "| sample | layout | node name(s) | expected rule id(s) | evidence: first failure line | corroboration |",
           "|---|---|---|---|---|---|"]
    for row in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    out += ["", "Notes:", "",
            "- `multi-attach-rwo` ships only as a tarball, as Rancher's collector produces it (`tar -czf ... -C <tmp> .`: the first entry",
            "  is `./`, sorted entries, owner root, fixed mtime). Paths in the table are inside the tarball.",
            "- `must-gather-multiattach` ships only as a tarball too (`tar -czf must-gather.tar.gz must-gather.local.<n>`), the way",
            "  customers attach a must-gather; its YAML is emitted as go-yaml v2 does (80-column folding), so event messages span lines.",
            "- Confidence: `confirmed` means the corroborating artifact in the same bundle agrees (package list, mountinfo, node list,",
            "  runtime config); `probable` would mean the message matched but no corroboration was available. All samples here are",
            "  built so that corroboration is present.",
            "- `nfs-helper-missing-adhoc`: systemd-run prints a new scope name on every attempt, so every FailedMount message is distinct;",
            "  client-go's EventCorrelator therefore combines them from the 10th distinct message on (`(combined from similar events): `),",
            "  and the timeout event shares that reason, as real `describe` output does.", ""]
    return "\n".join(out)


def main():
    for d in DIRS:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    e1 = build_nfs_helper_missing(os.path.join(HERE, DIRS[0]))
    e2 = build_nfs_red_herring(os.path.join(HERE, DIRS[1]))
    e3 = build_subpath_k0s(os.path.join(HERE, DIRS[2]))
    e4 = build_subpath_deleted(os.path.join(HERE, DIRS[3]))
    e5 = build_kata(os.path.join(HERE, DIRS[4]))
    tmp = tempfile.mkdtemp(prefix="podmortem-samples-")
    try:
        top, e6, mtime = build_multi_attach(tmp)
        pack_tgz(tmp, top, os.path.join(HERE, "multi-attach-rwo.tar.gz"), mtime)
    finally:
        shutil.rmtree(tmp)
    e7 = build_healthy(os.path.join(HERE, DIRS[5]))
    tmp = tempfile.mkdtemp(prefix="podmortem-samples-")
    try:
        mg_top, e8, mtime = build_must_gather(tmp)
        pack_plain_tgz(tmp, mg_top, os.path.join(HERE, "must-gather-multiattach.tar.gz"), mtime)
    finally:
        shutil.rmtree(tmp)
    write(os.path.join(HERE, "README.md"), readme((e1, e2, e3, e4, e5, (top, e6), e7, e8)))
    for d in DIRS + ["multi-attach-rwo.tar.gz", "must-gather-multiattach.tar.gz"]:
        p = os.path.join(HERE, d)
        if os.path.isdir(p):
            n = sum(len(fs) for _, _, fs in os.walk(p))
            print(f"{d}/: {n} files")
        else:
            print(f"{d}: {os.path.getsize(p)} bytes")


if __name__ == "__main__":
    main()
