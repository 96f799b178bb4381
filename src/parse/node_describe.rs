//! `kubectl describe node` text, one node or several concatenated (what
//! `kubectl describe nodes` prints, and what sos and hand-made bundles save):
//! readiness from the Conditions table, cordoning from `Unschedulable:`, and
//! kernel, OS image, runtime and kubelet version from `System Info:`.
//!
//! Covers the tab-aligned kubectl of 1.5-1.8 (`Role:`, `Name:\t\t\tnode`) and
//! the space-aligned layout of later releases; both put every top-level key at
//! column 0 and every table row or sub-key below it indented, which is all
//! this reader relies on.

use crate::facts::NodeStatus;

/// Lines looked at by [`looks_like`]: a node with many labels and annotations
/// still reaches `Capacity:` well within this.
const HEAD_LINES: usize = 200;

/// Cheap test for the classifier: a column-0 `Name:` line, a key only node
/// descriptions have (`Roles:`, `Role:`, `Taints:`, `Unschedulable:`), and a
/// `Conditions:`, `Capacity:` or `System Info:` section, all within the head.
/// Pod, PV and PVC descriptions have `Name:` and `Conditions:`/`Capacity:` but
/// none of the node-only keys.
pub fn looks_like(text: &str) -> bool {
    let (mut name, mut node_key, mut section) = (false, false, false);
    for raw in text.lines().take(HEAD_LINES) {
        let line = raw.trim_start_matches('\u{feff}');
        let Some(key) = top_key(line) else {
            continue;
        };
        match key {
            "Name" => name = true,
            "Roles" | "Role" | "Taints" | "Unschedulable" => node_key = true,
            "Conditions" | "Capacity" | "System Info" => section = true,
            _ => {}
        }
        if name && node_key && section {
            return true;
        }
    }
    false
}

/// Every node described in `text`, in file order, each with the 1-based line
/// of its `Name:`. Status follows `kubectl get nodes`: the `Ready` condition's
/// True/False/Unknown as `Ready`/`NotReady`/`Unknown` (a node with no `Ready`
/// row is `Unknown`, as kubectl prints it), plus `,SchedulingDisabled` when
/// `Unschedulable: true`. Versions are kept as printed (`v1.27.5+k3s1`,
/// `containerd://1.7.3-k3s1`). A `Name:` block with no node-only key (a pod or
/// volume description) gives nothing. Never panics.
pub fn parse(text: &str) -> Vec<NodeStatus> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start_matches('\u{feff}').trim_end_matches('\r');
        let n = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
        if let Some(key) = top_key(line) {
            if key == "Name" {
                if let Some(done) = current.take() {
                    out.extend(done.finish());
                }
                current = Some(Block::new(value_of(line), n));
                continue;
            }
            if let Some(block) = current.as_mut() {
                block.top_level(key, value_of(line));
            }
            continue;
        }
        if let Some(block) = current.as_mut() {
            block.nested(line);
        }
    }
    if let Some(done) = current.take() {
        out.extend(done.finish());
    }
    out
}

/// The key of a column-0 `Key:` line (`System Info:`, `Name:\t\t\tx`); None
/// for indented lines, blank lines and lines without a colon.
fn top_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    ok.then_some(key)
}

/// The trimmed text after the first colon.
fn value_of(line: &str) -> &str {
    line.split_once(':').map_or("", |(_, v)| v.trim())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    Conditions,
    /// `System Info:`, or `Version:` in the kubectl of early 2015.
    SystemInfo,
}

struct Block {
    name: String,
    line: u64,
    section: Section,
    /// Seen a key only node descriptions carry.
    is_node: bool,
    ready: Option<String>,
    unschedulable: bool,
    kernel: Option<String>,
    os_image: Option<String>,
    runtime: Option<String>,
    kubelet: Option<String>,
}

impl Block {
    fn new(name: &str, line: u64) -> Self {
        Block {
            name: name.to_string(),
            line,
            section: Section::Other,
            is_node: false,
            ready: None,
            unschedulable: false,
            kernel: None,
            os_image: None,
            runtime: None,
            kubelet: None,
        }
    }

    fn top_level(&mut self, key: &str, value: &str) {
        self.section = Section::Other;
        match key {
            "Roles" | "Role" | "Taints" => self.is_node = true,
            "Unschedulable" => {
                self.is_node = true;
                self.unschedulable = value.eq_ignore_ascii_case("true");
            }
            "Conditions" => self.section = Section::Conditions,
            "System Info" | "Version" => self.section = Section::SystemInfo,
            _ => {}
        }
    }

    fn nested(&mut self, line: &str) {
        match self.section {
            Section::Conditions => {
                // `  Ready   True   <heartbeat> ...`; the header and the
                // `----` ruler have other first cells.
                let mut cells = line.split_whitespace();
                if cells.next() == Some("Ready") {
                    if let Some(status) = cells.next() {
                        self.ready.get_or_insert_with(|| status.to_string());
                    }
                }
            }
            Section::SystemInfo => {
                let Some((key, value)) = line.trim().split_once(':') else {
                    return;
                };
                let value = value.trim();
                let slot = match key.trim() {
                    "Kernel Version" => &mut self.kernel,
                    "OS Image" => &mut self.os_image,
                    "Container Runtime Version" => &mut self.runtime,
                    "Kubelet Version" => &mut self.kubelet,
                    _ => return,
                };
                // Only a node's own System Info has these keys.
                self.is_node = true;
                if !value.is_empty() && slot.is_none() {
                    *slot = Some(value.to_string());
                }
            }
            Section::Other => {}
        }
    }

    fn finish(self) -> Option<NodeStatus> {
        if !self.is_node || self.name.is_empty() || self.name.contains(char::is_whitespace) {
            return None;
        }
        let mut status = match self.ready.as_deref() {
            Some("True") => "Ready",
            Some("False") => "NotReady",
            _ => "Unknown",
        }
        .to_string();
        if self.unschedulable {
            status.push_str(",SchedulingDisabled");
        }
        Some(NodeStatus {
            name: self.name,
            status,
            version: self.kubelet,
            os_image: self.os_image,
            kernel: self.kernel,
            runtime: self.runtime,
            line: self.line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{garbage_inputs, noise_and_salad};

    /// The first node of `kubectl describe node` on a three-node k3s cluster,
    /// https://github.com/dmitrymailk/k3s_pod_network_issue/blob/4d932388913085a3c1f8e1446ba720c9154d415c/README.md
    /// (de-indented from the README's `<details>` block; Labels, Annotations,
    /// pod and event tables cut), followed by the head of the second node.
    const K3S_NODES: &str = "Name:               k3s-master-01
Roles:              control-plane,master
Labels:             beta.kubernetes.io/arch=amd64
                    node-role.kubernetes.io/master=true
Annotations:        flannel.alpha.coreos.com/backend-type: vxlan
                    k3s.io/node-args: [\"server\",\"--disable\",\"traefik\",\"--write-kubeconfig-mode\",\"644\",\"--node-name\",\"k3s-master-01\"]
CreationTimestamp:  Wed, 13 Sep 2023 12:37:01 +0300
Taints:             <none>
Unschedulable:      false
Lease:
  HolderIdentity:  k3s-master-01
  AcquireTime:     <unset>
  RenewTime:       Wed, 13 Sep 2023 14:29:49 +0300
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Wed, 13 Sep 2023 14:27:04 +0300   Wed, 13 Sep 2023 12:37:00 +0300   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Wed, 13 Sep 2023 14:27:04 +0300   Wed, 13 Sep 2023 12:37:00 +0300   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Wed, 13 Sep 2023 14:27:04 +0300   Wed, 13 Sep 2023 12:37:00 +0300   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Wed, 13 Sep 2023 14:27:04 +0300   Wed, 13 Sep 2023 12:37:09 +0300   KubeletReady                 kubelet is posting ready status. AppArmor enabled
Addresses:
  InternalIP:  90.156.226.73
  Hostname:    k3s-master-01
Capacity:
  cpu:                2
  memory:             3912Mi
  pods:               110
System Info:
  Machine ID:                 30a6a96a8b464228bec9eb4d0466688d
  System UUID:                8bf3dc01-ae6a-4d18-9b46-134562f0c7ad
  Boot ID:                    295b3fb4-a371-48db-b38d-c99c8d100818
  Kernel Version:             5.15.0-83-generic
  OS Image:                   Ubuntu 22.04.3 LTS
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://1.6.15-k3s1
  Kubelet Version:            v1.25.6+k3s1
  Kube-Proxy Version:         v1.25.6+k3s1
PodCIDR:                      10.42.0.0/24
ProviderID:                   k3s://k3s-master-01
Events:
  Type     Reason                   Age                  From                   Message
  ----     ------                   ----                 ----                   -------
  Normal   NodeReady                112m                 kubelet                Node k3s-master-01 status is now: NodeReady


Name:               dimweb-b560-hd3
Roles:              worker
Taints:             <none>
Unschedulable:      false
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  Ready            True    Wed, 13 Sep 2023 14:27:51 +0300   Wed, 13 Sep 2023 13:52:42 +0300   KubeletReady                 kubelet is posting ready status. AppArmor enabled
System Info:
  Kernel Version:             6.2.0-32-generic
  OS Image:                   Ubuntu 22.04.3 LTS
  Container Runtime Version:  containerd://1.7.3-k3s1
  Kubelet Version:            v1.27.5+k3s1
  Kube-Proxy Version:         v1.27.5+k3s1
";

    /// kubectl 1.6's tab-aligned layout of a NotReady node,
    /// https://github.com/kubernetes/kubernetes/issues/45717 (the excerpt the
    /// issue quotes, which stops inside the Ready row's message).
    const TABS_NOT_READY: &str = "Name:\t\t\tthegopher
Role:\t\t\t
Labels:\t\t\tbeta.kubernetes.io/arch=amd64
\t\t\tbeta.kubernetes.io/os=linux
\t\t\tkubernetes.io/hostname=thegopher
\t\t\tnode-role.kubernetes.io/master=
Annotations:\t\tnode.alpha.kubernetes.io/ttl=0
\t\t\tvolumes.kubernetes.io/controller-managed-attach-detach=true
Taints:\t\t\tnode-role.kubernetes.io/master:NoSchedule
CreationTimestamp:\tSat, 13 May 2017 19:20:42 +0300
Phase:\t\t\t
Conditions:
  Type\t\t\tStatus\tLastHeartbeatTime\t\t\tLastTransitionTime\t\t\tReason\t\t\t\tMessage
  ----\t\t\t------\t-----------------\t\t\t------------------\t\t\t------\t\t\t\t-------
  OutOfDisk \t\tFalse \tSat, 13 May 2017 19:25:23 +0300 \tSat, 13 May 2017 19:20:42 +0300 \tKubeletHasSufficientDisk \tkubelet has sufficient disk space available
  MemoryPressure \tFalse \tSat, 13 May 2017 19:25:23 +0300 \tSat, 13 May 2017 19:20:42 +0300 \tKubeletHasSufficientMemory \tkubelet has sufficient memory available
  DiskPressure \t\tFalse \tSat, 13 May 2017 19:25:23 +0300 \tSat, 13 May 2017 19:20:42 +0300 \tKubeletHasNoDiskPressure \tkubelet has no disk pressure
  Ready \t\tFalse \tSat, 13 May 2017 19:25:23 +0300 \tSat, 13 May 2017 19:20:42 +0300 \tKubeletNotReady \t\truntime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker:
";

    fn summary(n: &NodeStatus) -> (&str, &str, u64) {
        (n.name.as_str(), n.status.as_str(), n.line)
    }

    #[test]
    fn k3s_nodes_concatenated() {
        assert!(looks_like(K3S_NODES));
        let nodes = parse(K3S_NODES);
        assert_eq!(nodes.len(), 2);
        assert_eq!(
            nodes[0],
            NodeStatus {
                name: "k3s-master-01".into(),
                status: "Ready".into(),
                version: Some("v1.25.6+k3s1".into()),
                os_image: Some("Ubuntu 22.04.3 LTS".into()),
                kernel: Some("5.15.0-83-generic".into()),
                runtime: Some("containerd://1.6.15-k3s1".into()),
                line: 1,
            }
        );
        assert_eq!(summary(&nodes[1]), ("dimweb-b560-hd3", "Ready", 47));
        assert_eq!(nodes[1].kernel.as_deref(), Some("6.2.0-32-generic"));
        assert_eq!(nodes[1].version.as_deref(), Some("v1.27.5+k3s1"));
    }

    #[test]
    fn tab_aligned_not_ready() {
        assert!(looks_like(TABS_NOT_READY));
        let nodes = parse(TABS_NOT_READY);
        assert_eq!(nodes.len(), 1);
        assert_eq!(summary(&nodes[0]), ("thegopher", "NotReady", 1));
        assert_eq!(nodes[0].kernel, None);
    }

    #[test]
    fn cordoned_and_unknown() {
        // `kubectl cordon` flips the same sample's `Unschedulable:` line;
        // kubelet silence turns its Ready row to Unknown.
        let cordoned = K3S_NODES
            .replacen("Unschedulable:      false", "Unschedulable:      true", 1)
            .replacen(
                "  Ready            True    Wed, 13 Sep 2023 14:27:04",
                "  Ready            Unknown Wed, 13 Sep 2023 14:27:04",
                1,
            );
        let nodes = parse(&cordoned);
        assert_eq!(nodes[0].status, "Unknown,SchedulingDisabled");
        assert!(!nodes[0].is_ready());
        assert_eq!(nodes[1].status, "Ready");
        // A node whose Conditions never reached a Ready row is Unknown too.
        let head = "Name:               minikube\nRoles:              master\nConditions:\n  Type             Status\n  MemoryPressure   Unknown\n";
        assert_eq!(
            parse(head).first().map(|n| n.status.as_str()),
            Some("Unknown")
        );
    }

    #[test]
    fn other_descriptions_are_not_nodes() {
        // `kubectl describe pod` has Name:, Conditions: and a Ready row, but
        // no node-only key (kubernetes/kubernetes pod describe layout).
        let pod = "Name:             network-troubleshoot-mygpu\nNamespace:        default\nNode:             dimweb-b560-hd3/192.168.120.25\nStatus:           Running\nConditions:\n  Type              Status\n  Initialized       True \n  Ready             True \n  ContainersReady   True \n  PodScheduled      True \nVolumes:\n  kube-api-access-n4msq:\n    Type:                    Projected\n";
        assert!(!looks_like(pod));
        assert!(parse(pod).is_empty());
        let pvc = "Name:          data-0\nNamespace:     default\nStatus:        Bound\nCapacity:      10Gi\nConditions:\n  Type                      Status\n";
        assert!(!looks_like(pvc));
        assert!(parse(pvc).is_empty());
        // A nodes table is read by parse::nodes, not here.
        let table = "NAME            STATUS   ROLES                  AGE    VERSION\nk3s-master-01   Ready    control-plane,master   114m   v1.25.6+k3s1\n";
        assert!(!looks_like(table));
        assert!(parse(table).is_empty());
        // Indented `Name:` lines (an event or a pod table) start no node.
        assert!(parse("  Name:  x\n  Roles:  y\n").is_empty());
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let alphabet: Vec<char> = "ab Z:/-()\t\n\u{e9}0123\"{}[],x".chars().collect();
        let tokens = [
            "Name:",
            "Roles:",
            "Conditions:\n",
            "  Ready  ",
            "True",
            "False",
            "System Info:\n",
            "  Kernel Version:",
            "Unschedulable:  true\n",
            "\n",
            " ",
            "\t",
            "\u{1F600}",
        ];
        for (noise, salad) in noise_and_salad(0x5eed_0fd0_c0de_0001, &alphabet, &tokens, 300, 80) {
            assert!(parse(&noise).is_empty(), "{noise:?}");
            assert!(!looks_like(&noise), "{noise:?}");
            for node in parse(&salad) {
                assert!(node.line >= 1);
            }
            let _ = looks_like(&salad);
        }
        for input in garbage_inputs() {
            let _ = looks_like(&input);
            let _ = parse(&input);
        }
    }
}
