#!/usr/bin/env python3
"""Write a large, realistic, deterministic support bundle (.tar.gz) for the throughput bench.

Layout (must-gather style, nodes side by side):

    bench-bundle/nodes/<node>/kubelet.log      journald-wrapped klog (Kubernetes 1.29 structured logging)
    bench-bundle/nodes/<node>/containerd.log   journald-wrapped logrus lines
    bench-bundle/nodes/<node>/rpm-qa.txt       `rpm -qa`
    bench-bundle/nodes/<node>/mountinfo        /proc/1/mountinfo

One real failure is buried at >= 80 % of one node's kubelet log (never the first node): an in-tree NFS
volume that cannot mount because mount.nfs is missing (`exit status 32`, `Mounting arguments: -t nfs ...`,
`Output: mount: ...: bad option; ... helper program.`), and that node's rpm-qa.txt has no nfs-utils, so
`nfs-client-helper-missing` must be reported (confirmed) on that node and nowhere else. A red herring sits
on another node, also without nfs-utils: the same "helper program" text for `-t xfs /dev/sdf`.

python3 stdlib only. Same arguments, same bytes (seeded PRNG, fixed mtimes, gzip header mtime 0).

    python3 benches/gen_bundle.py [--mb 500] [--nodes 8] [--seed 1] [-o bench-bundle.tar.gz]
"""
import argparse
import datetime as dt
import gzip
import io
import random
import sys
import tarfile

TOP = "bench-bundle"
KUBE = "v1.29.4"
MTIME = 1710400000  # fixed tar member mtime

ALNUM = "bcdfghjklmnpqrstvwxz2456789"
NAMESPACES = ["default", "kube-system", "monitoring", "payments", "shop", "media", "logging", "ingress-nginx",
              "cert-manager", "data", "ci", "search"]
APPS = ["api", "web", "worker", "frontend", "redis", "postgres", "kafka", "zookeeper", "fluent-bit", "node-exporter",
        "prometheus", "grafana", "checkout", "cart", "catalog", "indexer", "ingest", "scheduler", "notifier",
        "thumbnailer", "elasticsearch", "coredns", "metrics-server", "cert-manager-webhook", "ingress-controller"]
CONTAINERS = ["app", "sidecar", "istio-proxy", "main", "server", "exporter", "init-config", "log-shipper"]
VOLNAMES = ["config", "data", "tmp", "cache", "certs", "secrets", "scripts", "logs", "shared", "tls"]
PLUGIN = {"projected": "kubernetes.io/projected", "configmap": "kubernetes.io/configmap",
          "secret": "kubernetes.io/secret", "emptydir": "kubernetes.io/empty-dir",
          "hostpath": "kubernetes.io/host-path", "nfs": "kubernetes.io/nfs", "csi": "kubernetes.io/csi"}

RPMS = """acl-2.3.1-4.el9.x86_64 audit-3.1.2-2.el9.x86_64 audit-libs-3.1.2-2.el9.x86_64 basesystem-11-13.el9.noarch
bash-5.1.8-9.el9.x86_64 bzip2-libs-1.0.8-8.el9.x86_64 ca-certificates-2023.2.60_v7.0.306-90.1.el9_2.noarch
chrony-4.5-1.el9.x86_64 conntrack-tools-1.4.7-2.el9.x86_64 container-selinux-2.229.0-1.el9.noarch
containerd.io-1.7.13-3.1.el9.x86_64 coreutils-8.32-35.el9.x86_64 cracklib-2.9.6-27.el9.x86_64
cri-tools-1.29.0-150500.1.1.x86_64 cronie-1.5.7-11.el9.x86_64 curl-7.76.1-29.el9_4.x86_64
cyrus-sasl-lib-2.1.27-21.el9.x86_64 dbus-1.12.20-8.el9.x86_64 device-mapper-1.02.197-2.el9.x86_64
dnf-4.14.0-9.el9.noarch dracut-057-53.git20240104.el9.x86_64 e2fsprogs-1.46.5-5.el9.x86_64
ebtables-legacy-2.0.11-9.el9.x86_64 elfutils-libelf-0.190-2.el9.x86_64 ethtool-6.2-1.el9.x86_64
expat-2.5.0-2.el9_4.x86_64 file-libs-5.39-16.el9.x86_64 filesystem-3.16-2.el9.x86_64 findutils-4.8.0-6.el9.x86_64
firewalld-1.3.4-1.el9.noarch gawk-5.1.0-6.el9.x86_64 glib2-2.68.4-14.el9.x86_64 glibc-2.34-100.el9.x86_64
glibc-common-2.34-100.el9.x86_64 gmp-6.2.0-13.el9.x86_64 gnupg2-2.3.3-4.el9.x86_64 gnutls-3.8.3-4.el9_4.x86_64
grep-3.6-5.el9.x86_64 grub2-common-2.06-77.el9.noarch gzip-1.12-1.el9.x86_64 hostname-3.23-6.el9.x86_64
iproute-6.2.0-6.el9_4.x86_64 iptables-libs-1.8.10-2.el9.x86_64 iptables-nft-1.8.10-2.el9.x86_64
iputils-20210202-9.el9.x86_64 irqbalance-1.9.2-3.el9.x86_64 jq-1.6-16.el9.x86_64 kbd-2.4.0-9.el9.x86_64
kernel-5.14.0-427.13.1.el9_4.x86_64 kernel-core-5.14.0-427.13.1.el9_4.x86_64 keyutils-libs-1.6.3-1.el9.x86_64
kmod-28-9.el9.x86_64 krb5-libs-1.21.1-1.el9.x86_64 kubeadm-1.29.4-150500.1.1.x86_64
kubectl-1.29.4-150500.1.1.x86_64 kubelet-1.29.4-150500.1.1.x86_64 kubernetes-cni-1.3.0-150500.1.1.x86_64
less-590-4.el9.x86_64 libacl-2.3.1-4.el9.x86_64 libattr-2.5.1-3.el9.x86_64 libblkid-2.37.4-18.el9.x86_64
libcap-2.48-9.el9_2.x86_64 libcurl-7.76.1-29.el9_4.x86_64 libgcc-11.4.1-3.el9.x86_64 libmount-2.37.4-18.el9.x86_64
libnetfilter_conntrack-1.0.9-1.el9.x86_64 libnfnetlink-1.0.1-21.el9.x86_64 libseccomp-2.5.2-2.el9.x86_64
libselinux-3.6-1.el9.x86_64 libsepol-3.6-1.el9.x86_64 libstdc++-11.4.1-3.el9.x86_64 libuuid-2.37.4-18.el9.x86_64
libxml2-2.9.13-6.el9_4.x86_64 logrotate-3.18.0-8.el9.x86_64 lvm2-2.03.23-2.el9.x86_64 lz4-libs-1.9.3-5.el9.x86_64
ncurses-6.2-10.20210508.el9.x86_64 NetworkManager-1.46.0-4.el9_4.x86_64 nftables-1.0.9-1.el9.x86_64
openssh-8.7p1-38.el9.x86_64 openssh-server-8.7p1-38.el9.x86_64 openssl-3.0.7-27.el9.x86_64
openssl-libs-3.0.7-27.el9.x86_64 pam-1.5.1-19.el9.x86_64 passwd-0.80-12.el9.x86_64 pcre2-10.40-5.el9.x86_64
policycoreutils-3.6-2.1.el9.x86_64 procps-ng-3.3.17-14.el9.x86_64 python3-3.9.18-3.el9.x86_64
python3-libs-3.9.18-3.el9.x86_64 readline-8.1-4.el9.x86_64 rpm-4.16.1.3-29.el9.x86_64 rsyslog-8.2310.0-4.el9.x86_64
runc-1.1.12-2.el9.x86_64 sed-4.8-9.el9.x86_64 selinux-policy-38.1.35-2.el9_4.noarch setup-2.13.7-10.el9.noarch
shadow-utils-4.9-8.el9.x86_64 socat-1.7.4.1-5.el9.x86_64 sqlite-libs-3.34.1-7.el9_3.x86_64 sudo-1.9.5p2-10.el9_3.x86_64
systemd-252-32.el9_4.x86_64 systemd-libs-252-32.el9_4.x86_64 tar-1.34-6.el9_1.x86_64 tzdata-2024a-1.el9.noarch
util-linux-2.37.4-18.el9.x86_64 util-linux-core-2.37.4-18.el9.x86_64 vim-minimal-8.2.2637-20.el9_1.x86_64
which-2.21-29.el9.x86_64 xfsprogs-6.3.0-1.el9.x86_64 xz-libs-5.2.5-8.el9_0.x86_64 yum-4.14.0-9.el9.noarch
zlib-1.2.11-40.el9.x86_64""".split()
NFS_RPMS = ["nfs-utils-2.5.4-25.el9.x86_64", "libnfsidmap-2.5.4-25.el9.x86_64", "rpcbind-1.2.6-7.el9.x86_64"]


class R(random.Random):
    def hexid(self, n=64):
        return f"{self.getrandbits(n * 4):0{n}x}"

    def uuid(self):
        h = self.hexid(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def sfx(self, n=5):
        return "".join(self.choices(ALNUM, k=n))


def goq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Pod:
    def __init__(self, r, nfs=False):
        self.ns = r.choice(NAMESPACES)
        app = r.choice(APPS)
        if r.random() < 0.3:
            self.name = f"{app}-{r.randint(0, 4)}"
        else:
            self.name = f"{app}-{r.hexid(10)[:r.choice((9, 10))]}-{r.sfx()}"
        self.ref = f"{self.ns}/{self.name}"
        self.uid = r.uuid()
        self.sid = r.hexid()
        self.containers = r.sample(CONTAINERS, r.randint(1, 3))
        self.cids = {c: r.hexid() for c in self.containers}
        self.ip = f"10.244.{r.randint(0, 15)}.{r.randint(2, 250)}"
        self.port = r.choice((8080, 8443, 9090, 3000, 5432, 6379, 80))
        self.volumes = [("projected", "kube-api-access-" + r.sfx())]
        for _ in range(r.randint(0, 3)):
            self.volumes.append((r.choice(("configmap", "secret", "emptydir", "hostpath", "csi")),
                                 r.choice(VOLNAMES)))
        self.failing = set()
        if nfs:
            self.volumes.append(("nfs", "shared-reports"))
            self.failing.add(("nfs", "shared-reports"))

    def uniq(self, plugin, vol):
        if plugin == "csi":
            return f"kubernetes.io/csi/ebs.csi.aws.com^vol-0{self.uid[:8]}{self.uid[9:13]}a"
        return f"{PLUGIN[plugin]}/{self.uid}-{vol}"


class Clock:
    def __init__(self, start):
        self.t = start

    def tick(self, r, max_us=60000):
        self.t += dt.timedelta(microseconds=r.randint(1, max_us))
        return self.t


def go_time(t, mono):
    return f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond:06d}{t.microsecond % 997:03d} +0000 UTC m=+{mono:.9f}"


def go_duration(sec):
    if sec < 1:
        return f"{int(round(sec * 1000))}ms"
    m, s = divmod(int(sec), 60)
    return f"{m}m{s}s" if m else f"{s}s"


class KubeletLog:
    """Journald-wrapped 1.29 klog lines for one node."""

    def __init__(self, r, node, start):
        self.r, self.node = r, node
        self.pid = r.randint(900, 4000)
        self.clock = Clock(start)
        self.started = start
        self.out = []
        self.size = 0
        self.pods = [Pod(r) for _ in range(r.randint(90, 140))]

    def emit(self, t, sev, src, msg):
        # klog header, then the journald prefix on every line of the message (continuation lines too)
        jp = f"{t:%b %d %H:%M:%S} {self.node} kubelet[{self.pid}]: "
        text = f"{sev}{t:%m%d %H:%M:%S}.{t.microsecond:06d} {self.pid:>7} {src}] {msg}"
        lines = [jp + ln for ln in text.split("\n")]
        s = "\n".join(lines) + "\n"
        self.out.append(s)
        self.size += len(s)

    def boot(self):
        t = self.clock.t
        jp = f"{t:%b %d %H:%M:%S} {self.node} systemd[1]: Started kubelet: The Kubernetes Node Agent.\n"
        self.out.append(f"-- Logs begin at {t:%a %Y-%m-%d %H:%M:%S} UTC. --\n" + jp)
        self.emit(t, "I", "server.go:487", f'"Kubelet version" kubeletVersion="{KUBE}"')
        self.emit(self.clock.tick(self.r), "I", "server.go:489", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""')
        self.emit(self.clock.tick(self.r), "I", "kuberuntime_manager.go:258",
                  '"Container runtime initialized" containerRuntime="containerd" version="1.7.13" apiVersion="v1"')
        self.emit(self.clock.tick(self.r, 900000), "I", "kubelet_node_status.go:76",
                  f'"Attempting to register node" node="{self.node}"')
        self.emit(self.clock.tick(self.r), "I", "kubelet_node_status.go:79",
                  f'"Successfully registered node" node="{self.node}"')

    def volmsg(self, t, what, pod, plugin, vol):
        detail = f'for volume \\"{vol}\\" (UniqueName: \\"{pod.uniq(plugin, vol)}\\") pod \\"{pod.name}\\" (UID: \\"{pod.uid}\\") '
        src, text = {"verify": ("reconciler_common.go:258", "operationExecutor.VerifyControllerAttachedVolume started"),
                     "mount": ("reconciler_common.go:231", "operationExecutor.MountVolume started"),
                     "ok": ("operation_generator.go:721", "MountVolume.SetUp succeeded")}[what]
        self.emit(t, "I", src, f'"{text} {detail}" pod="{pod.ref}"')

    def noise(self):
        """One ordinary line (sometimes a few), chosen by weight."""
        r, t = self.r, self.clock.tick(self.r)
        pod = r.choice(self.pods)
        x = r.random()
        if x < 0.42:
            plugin, vol = r.choice(pod.volumes)
            what = ("verify", "mount", "ok")[int(x * 100) % 3]
            # a volume whose mount keeps failing never logs SetUp succeeded (that would resolve the failure)
            if what == "ok" and (plugin, vol) in pod.failing:
                what = "mount"
            self.volmsg(t, what, pod, plugin, vol)
        elif x < 0.50:
            op, src = r.choice((("UPDATE", "kubelet.go:2422"), ("UPDATE", "kubelet.go:2422"), ("ADD", "kubelet.go:2415"),
                                ("DELETE", "kubelet.go:2431")))
            self.emit(t, "I", src, f'"SyncLoop {op}" source="api" pods=["{pod.ref}"]')
        elif x < 0.57:
            typ, data = r.choice((("ContainerStarted", None), ("ContainerDied", None), ("ContainerStarted", "sandbox")))
            cid = pod.sid if data else pod.cids[r.choice(pod.containers)]
            self.emit(t, "I", "kubelet.go:2462",
                      f'"SyncLoop (PLEG): event for pod" pod="{pod.ref}" event={{"ID":"{pod.uid}","Type":"{typ}","Data":"{cid}"}}')
        elif x < 0.62:
            c = r.choice(pod.containers)
            kind = r.choice(("Readiness", "Liveness", "Readiness"))
            out = r.choice((f'Get \\"http://{pod.ip}:{pod.port}/healthz\\": dial tcp {pod.ip}:{pod.port}: connect: connection refused',
                            f'Get \\"http://{pod.ip}:{pod.port}/ready\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                            "HTTP probe failed with statuscode: 503"))
            self.emit(t, "I", "prober.go:107", f'"Probe failed" probeType="{kind}" pod="{pod.ref}" podUID="{pod.uid}" '
                                             f'containerName="{c}" probeResult="failure" output="{out}"')
        elif x < 0.66:
            self.emit(t, "I", "kubelet.go:2481",
                      f'"SyncLoop (probe)" probe="{r.choice(("readiness", "liveness", "startup"))}" status="{r.choice(("ready", "", "unhealthy"))}" pod="{pod.ref}"')
        elif x < 0.675:
            self.emit(t, "E", "dns.go:153", '"Nameserver limits exceeded" err="Nameserver limits were exceeded, some nameservers '
                                          'have been omitted, the applied nameserver line is: 10.96.0.10 10.0.0.2 10.0.0.3"')
        elif x < 0.71:
            self.emit(t, "I", "scope.go:117", f'"RemoveContainer" containerID="{r.hexid()}"')
        elif x < 0.75:
            self.emit(t, "I", "status_manager.go:877",
                      f'"Patch status for pod" pod="{pod.ref}" podUID="{pod.uid}" patch="{{\\"metadata\\":{{\\"uid\\":\\"{pod.uid}\\"}},'
                      f'\\"status\\":{{\\"$setElementOrder/conditions\\":[{{\\"type\\":\\"PodReadyToStartContainers\\"}},{{\\"type\\":\\"Initialized\\"}},'
                      f'{{\\"type\\":\\"Ready\\"}},{{\\"type\\":\\"ContainersReady\\"}},{{\\"type\\":\\"PodScheduled\\"}}],\\"conditions\\":[{{\\"lastTransitionTime\\":'
                      f'\\"{t:%Y-%m-%dT%H:%M:%S}Z\\",\\"status\\":\\"True\\",\\"type\\":\\"Ready\\"}}],\\"podIP\\":\\"{pod.ip}\\"}}}}"')
        elif x < 0.78:
            self.emit(t, "I", "volume_manager.go:394", f'"Waiting for volumes to attach and mount for pod" pod="{pod.ref}"')
        elif x < 0.80:
            self.emit(t, "I", "volume_manager.go:425", f'"All volumes are attached and mounted for pod" pod="{pod.ref}"')
        elif x < 0.83:
            c = r.choice(pod.containers)
            self.emit(t, "I", "kuberuntime_container.go:779", f'"Killing container with a grace period" pod="{pod.ref}" podUID="{pod.uid}" '
                                                            f'containerName="{c}" containerID="containerd://{pod.cids[c]}" gracePeriod={r.choice((30, 30, 60, 5))}')
        elif x < 0.85:
            self.emit(t, "I", "kubelet_volumes.go:161", f'"Cleaned up orphaned pod volumes dir" podUID="{r.uuid()}" '
                                                       f'path="/var/lib/kubelet/pods/{r.uuid()}/volumes"')
        elif x < 0.87:
            self.emit(t, "I", "kubelet_pods.go:1093", '"Clean up pod workers for terminated pods"')
        elif x < 0.89:
            c = r.choice(pod.containers)
            self.emit(t, "I", "kuberuntime_manager.go:1028", f'"computePodActions got for pod" podActions={{"KillPod":false,"CreateSandbox":false,'
                                                           f'"SandboxID":"{pod.sid}","Attempt":{r.randint(0, 4)},"NextInitContainerToStart":null,'
                                                           f'"ContainersToStart":[{r.randint(0, 2)}],"ContainersToKill":{{}}}} pod="{pod.ref}"')
        elif x < 0.905:
            self.emit(t, "W", "reflector.go:539", f'object-"{pod.ns}"/"{r.choice(VOLNAMES)}": watch of *v1.ConfigMap ended with: an error on '
                                                  'the server ("unable to decode an event from the watch stream: http2: client connection lost") '
                                                  'has prevented the request from succeeding')
        elif x < 0.92:
            self.emit(t, "I", "eviction_manager.go:369", '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"') \
                if r.random() < 0.05 else \
                self.emit(t, "I", "container_gc.go:88", '"Attempting to delete unused containers"')
        elif x < 0.94:
            c = r.choice(pod.containers)
            self.emit(t, "E", "pod_workers.go:1298", f'"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{c}\\" with '
                                                   f'CrashLoopBackOff: \\"back-off 5m0s restarting failed container={c} pod={pod.name}_{pod.ns}({pod.uid})\\"" '
                                                   f'pod="{pod.ref}" podUID="{pod.uid}"') if r.random() < 0.1 else \
                self.emit(t, "I", "kubelet_getters.go:187", f'"Pod status updated" pod="{pod.ref}" status="Running"')
        elif x < 0.95:
            cid = r.hexid()
            self.emit(t, "E", "remote_runtime.go:432", f'"ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = an '
                                                     f'error occurred when try to find container \\"{cid}\\": not found" containerID="{cid}"') \
                if r.random() < 0.2 else \
                self.emit(t, "I", "image_gc_manager.go:315", '"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=86 highThreshold=85 amountToFree=1289748480 lowThreshold=80')
        elif x < 0.97:
            self.emit(t, "I", "cpu_manager.go:395", f'"RemoveStaleState: removing container" podUID="{pod.uid}" containerName="{r.choice(pod.containers)}"')
        else:
            self.emit(t, "I", "memory_manager.go:354", f'"RemoveStaleState removing state" podUID="{pod.uid}" containerName="{r.choice(pod.containers)}"')

    def nfs_failure(self, pod, vol, server, delay):
        """mount-utils' multi-line record, then nestedpendingoperations' error carrying the same text."""
        r = self.r
        t = self.clock.tick(r)
        mnt = f"/var/lib/kubelet/pods/{pod.uid}/volumes/kubernetes.io~nfs/{vol}"
        body = (f"Mounting command: mount\nMounting arguments: -t nfs {server} {mnt}\n"
                f"Output: mount: {mnt}: bad option; for several filesystems (e.g. nfs, cifs) you might need a "
                f"/sbin/mount.<type> helper program.\n")
        self.emit(t, "E", "mount_linux.go:282", "Mount failed: exit status 32\n" + body)
        t2 = t + dt.timedelta(microseconds=r.randint(90, 400))
        nxt = t2 + dt.timedelta(seconds=delay)
        uq = pod.uniq("nfs", vol)
        err = (f'MountVolume.SetUp failed for volume "{vol}" (UniqueName: "{uq}") pod "{pod.name}" (UID: "{pod.uid}") : '
               f"mount failed: exit status 32\n{body}")
        self.emit(t2, "E", "nestedpendingoperations.go:348",
                  f'Operation for "{{volumeName:{uq} podName:{pod.uid} nodeName:}}" failed. No retries permitted until '
                  f"{go_time(nxt, (nxt - self.started).total_seconds())} (durationBeforeRetry {go_duration(delay)}). Error: {err.rstrip()}")
        self.clock.t = t2

    def xfs_failure(self, pod, pv, vid, delay):
        """The red herring: the same helper text, for an xfs block device (a CSI MountDevice)."""
        r = self.r
        t = self.clock.tick(r)
        gm = f"/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/{vid}/globalmount"
        body = (f"Mounting command: mount\nMounting arguments: -t xfs -o defaults /dev/sdf {gm}\n"
                f"Output: mount: {gm}: wrong fs type, bad option, bad superblock on /dev/sdf, missing codepage or helper "
                f"program, or other error.\n")
        self.emit(t, "E", "mount_linux.go:282", "Mount failed: exit status 32\n" + body)
        t2 = t + dt.timedelta(microseconds=r.randint(90, 400))
        nxt = t2 + dt.timedelta(seconds=delay)
        uq = f"kubernetes.io/csi/ebs.csi.aws.com^vol-0{vid[:16]}"
        self.emit(t2, "E", "nestedpendingoperations.go:348",
                  f'Operation for "{{volumeName:{uq} podName: nodeName:}}" failed. No retries permitted until '
                  f"{go_time(nxt, (nxt - self.started).total_seconds())} (durationBeforeRetry {go_duration(delay)}). Error: "
                  f'MountVolume.MountDevice failed for volume "{pv}" (UniqueName: "{uq}") pod "{pod.name}" (UID: "{pod.uid}") : '
                  f"rpc error: code = Internal desc = mount failed: exit status 32\n{body.rstrip()}")
        self.clock.t = t2


def containerd_log(r, node, start, target):
    pid = r.randint(700, 900)
    t = start
    pods = [Pod(r) for _ in range(60)]
    out = [f"-- Logs begin at {t:%a %Y-%m-%d %H:%M:%S} UTC. --\n"]
    size = 0

    def line(level, msg, **kv):
        nonlocal t, size
        t += dt.timedelta(microseconds=r.randint(1, 400000))
        ns = t.microsecond * 1000 + r.randint(0, 999)
        s = f'{t:%b %d %H:%M:%S} {node} containerd[{pid}]: time="{t:%Y-%m-%dT%H:%M:%S}.{ns:09d}Z" level={level} msg={goq(msg)}'
        for k, v in kv.items():
            v = str(v)
            s += f" {k}=" + (goq(v) if any(c in v for c in ' "=') else v)
        out.append(s + "\n")
        size += len(s) + 1

    line("info", "starting containerd", revision="64b8a811b07ba6288238eefc14d898ee0b5b99ba", version="1.7.13")
    for plug in ("io.containerd.content.v1.content", "io.containerd.snapshotter.v1.overlayfs",
                 "io.containerd.metadata.v1.bolt", "io.containerd.runtime.v2.task", "io.containerd.grpc.v1.cri"):
        line("info", f'loading plugin "{plug}"...', type=plug.rsplit(".", 1)[0])
    line("info", "serving...", address="/run/containerd/containerd.sock")
    while size < target:
        p = r.choice(pods)
        c = r.choice(p.containers)
        x = r.random()
        if x < 0.35:
            line("info", f'ExecSync for "{p.cids[c]}" with command [/bin/sh -c pg_isready -U postgres] and timeout 1 (s)')
            line("info", f'ExecSync for "{p.cids[c]}" returns with exit code 0')
        elif x < 0.5:
            md = f"&PodSandboxMetadata{{Name:{p.name},Uid:{p.uid},Namespace:{p.ns},Attempt:0,}}"
            line("info", f"RunPodSandbox for {md}")
            line("info", f'RunPodSandbox for {md} returns sandbox id "{p.sid}"')
        elif x < 0.65:
            cid = r.hexid()
            line("info", f'CreateContainer within sandbox "{p.sid}" for container &ContainerMetadata{{Name:{c},Attempt:{r.randint(0, 9)},}}')
            line("info", f'StartContainer for "{cid}"')
            line("info", f'StartContainer for "{cid}" returns successfully')
        elif x < 0.78:
            cid = r.hexid()
            line("info", "shim disconnected", id=cid, namespace="k8s.io")
            line("warning", "cleaning up after shim disconnected", id=cid, namespace="k8s.io")
            line("info", "cleaning up dead shim", namespace="k8s.io")
        elif x < 0.88:
            img = r.choice(("docker.io/library/nginx:1.25", "quay.io/prometheus/node-exporter:v1.7.0", "registry.k8s.io/pause:3.9",
                            "ghcr.io/fluent/fluent-bit:2.2", "docker.io/library/postgres:16"))
            line("info", f"ImageUpdate event name:\"{img}\" labels:{{key:\"io.cri-containerd.image\" value:\"managed\"}}")
            line("info", f'PullImage "{img}" returns image reference "sha256:{r.hexid()}"')
        elif x < 0.95:
            line("info", f'StopPodSandbox for "{p.sid}"')
            line("info", f'TearDown network for sandbox "{p.sid}" successfully')
            line("info", f'StopPodSandbox for "{p.sid}" returns successfully')
        else:
            line("error", f'ContainerStatus for "{r.hexid()}" failed', error=f'rpc error: code = NotFound desc = an error occurred when try to find container "{r.hexid()}": not found')
    return "".join(out)


def mountinfo(r, pods, nfs):
    lines = [
        "22 1 253:0 / / rw,relatime shared:1 - xfs /dev/mapper/rhel-root rw,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota",
        "23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw,seclabel",
        "24 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw",
        "25 22 0:5 / /dev rw,nosuid shared:9 - devtmpfs devtmpfs rw,seclabel,size=8118452k,nr_inodes=2029613,mode=755",
        "26 23 0:6 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:3 - securityfs securityfs rw",
        "27 25 0:23 / /dev/shm rw,nosuid,nodev shared:10 - tmpfs tmpfs rw,seclabel,inode64",
        "29 22 0:25 / /run rw,nosuid,nodev shared:12 - tmpfs tmpfs rw,seclabel,size=3247376k,nr_inodes=819200,mode=755,inode64",
        "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,seclabel,nsdelegate,memory_recursiveprot",
        "45 22 259:2 / /boot rw,relatime shared:63 - xfs /dev/nvme0n1p2 rw,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota",
        "48 22 259:3 / /var/lib/containerd rw,relatime shared:65 - xfs /dev/nvme1n1 rw,seclabel,attr2,inode64,noquota",
    ]
    n = 100
    for p in pods:
        for plugin, vol in p.volumes:
            if plugin in ("projected", "secret"):
                n += 1
                lines.append(f"{n} 22 0:{n + 40} / /var/lib/kubelet/pods/{p.uid}/volumes/kubernetes.io~{plugin}/{vol} "
                             f"rw,relatime shared:{n} - tmpfs tmpfs rw,seclabel,size={r.choice((65536, 8388608, 174080))}k,inode64")
    if nfs:
        p = pods[0]
        n += 1
        lines.append(f"{n} 22 0:{n + 40} / /var/lib/kubelet/pods/{p.uid}/volumes/kubernetes.io~nfs/shared-data rw,relatime shared:{n} - "
                     "nfs4 10.0.5.20:/exports/shared rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,"
                     "timeo=600,retrans=2,sec=sys,clientaddr=10.0.1.14,local_lock=none,addr=10.0.5.20")
    return "\n".join(lines) + "\n"


def add(tar, name, data):
    ti = tarfile.TarInfo(f"{TOP}/{name}")
    ti.size = len(data)
    ti.mtime = MTIME
    ti.mode = 0o644
    ti.uname = ti.gname = "root"
    tar.addfile(ti, io.BytesIO(data))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=500, help="uncompressed size in MB (10^6 bytes), about (default 500)")
    ap.add_argument("--nodes", type=int, default=8, help="nodes side by side (default 8, at least 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--level", type=int, default=6, help="gzip level (default 6, as tar czf)")
    ap.add_argument("-o", "--output", default="bench-bundle.tar.gz")
    a = ap.parse_args()
    if a.nodes < 3:
        ap.error("--nodes must be at least 3")
    r = R(a.seed)
    nodes = [f"ip-10-0-{1 + i // 4}-{10 + 17 * i % 200}.ec2.internal" for i in range(a.nodes)]
    failing = nodes[a.nodes * 2 // 3]   # never the first node
    herring = nodes[1]
    per_node = a.mb * 1e6 / a.nodes
    start = dt.datetime(2024, 3, 14, 6, 10, 2, 113000)
    raw = open(a.output, "wb")
    gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=a.level, mtime=0)
    tar = tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT)
    total = 0
    placed = {}
    for node in nodes:
        kl = KubeletLog(r, node, start + dt.timedelta(seconds=r.randint(0, 30)))
        kl.boot()
        target = per_node * 0.86
        failure_at = target * 0.87 if node == failing else None
        herring_at = target * 0.55 if node == herring else None
        victim = None
        while kl.size < target:
            kl.noise()
            if failure_at is not None and kl.size >= failure_at:
                # an in-tree NFS volume; the pod first appears as it is added, then the mount keeps failing
                victim = Pod(r, nfs=True)
                victim.ns, victim.name, victim.ref = "finance", "reports-0", "finance/reports-0"
                kl.pods.append(victim)
                placed["failure"] = (node, kl.size)
                # retries back off as kubelet's do; the noise between them stays under ~5 % of the log
                k = max(0.2, min(40.0, target * 0.05 / (493 * 270)))
                for delay in (0.5, 1, 2, 4, 8, 16, 32, 64, 122, 122, 122):
                    for _ in range(int(delay * k)):
                        kl.noise()
                    kl.nfs_failure(victim, "shared-reports", "10.0.5.20:/exports/reports", delay)
                failure_at = None
            if herring_at is not None and kl.size >= herring_at:
                placed["herring"] = (node, kl.size)
                hp, pv, vid = r.choice(kl.pods), f"pvc-{r.uuid()}", r.hexid(64)
                for delay in (0.5, 1, 2, 4):
                    for _ in range(int(delay * 20)):
                        kl.noise()
                    kl.xfs_failure(hp, pv, vid, delay)
                herring_at = None
        data = "".join(kl.out).encode()
        if node == failing:
            at = placed["failure"][1] / len(data)
            assert at >= 0.80, at
            placed["failure"] = (node, at)
        if node == herring:
            placed["herring"] = (node, placed["herring"][1] / len(data))
        add(tar, f"nodes/{node}/kubelet.log", data)
        total += len(data)
        del data, kl.out
        cdata = containerd_log(r, node, start, per_node * 0.14).encode()
        add(tar, f"nodes/{node}/containerd.log", cdata)
        total += len(cdata)
        pkgs = list(RPMS) + ([] if node in (failing, herring) else NFS_RPMS)
        r.shuffle(pkgs)  # rpm -qa is unsorted
        add(tar, f"nodes/{node}/rpm-qa.txt", ("\n".join(pkgs) + "\n").encode())
        add(tar, f"nodes/{node}/mountinfo", mountinfo(r, kl.pods[:40], node not in (failing, herring)).encode())
    tar.close()
    gz.close()
    size = raw.tell()
    raw.close()
    print(f"{a.output}: {total / 1e6:.1f} MB of logs, {size / 1e6:.1f} MB gzip ({total / size:.1f}:1); "
          f"failure on {failing} at {placed['failure'][1]:.0%} of its kubelet.log; "
          f"red herring (-t xfs /dev/sdf) on {herring}", file=sys.stderr)
    print(failing)


if __name__ == "__main__":
    main()
