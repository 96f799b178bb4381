//! What each bundle entry is: its `ArtifactKind`, decided from the path and
//! by sniffing the first lines, because customers name files anything
//! (`notes.txt` holding kubelet lines is a kubelet log).

use crate::facts::ArtifactKind;

/// Lowercased file name without rotation or compression suffixes
/// (`kubelet.log.1.gz` -> `kubelet.log`).
fn base_name(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let mut name = name.as_str();
    loop {
        let before = name;
        for suffix in [".gz", ".xz", ".zst", ".tailed"] {
            if let Some(s) = name.strip_suffix(suffix) {
                name = s;
            }
        }
        if let Some((stem, tail)) = name.rsplit_once('.') {
            if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
                name = stem;
            }
        }
        if name == before {
            break;
        }
    }
    name.to_string()
}

/// Classify an entry from its bundle-relative path and the start of its content.
pub fn classify(path: &str, head: &[u8]) -> ArtifactKind {
    if crate::ingest::looks_binary(head) {
        return ArtifactKind::Skipped;
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(16 * 1024)]);
    // Content first: it is what the file really is.
    if let Some(kind) = sniff(&text) {
        return kind;
    }
    by_path(path, &text).unwrap_or(ArtifactKind::OtherLog)
}

fn first_lines(text: &str, n: usize) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty()).take(n)
}

fn sniff(text: &str) -> Option<ArtifactKind> {
    let trimmed = text.trim_start();
    let first = first_lines(text, 1).next().unwrap_or("");
    // kubectl describe pod
    if first.starts_with("Name:") && text.contains("\nNamespace:") && text.contains("\nContainers:")
    {
        return Some(ArtifactKind::PodDescribe);
    }
    // kubectl get events (text table)
    if (first.starts_with("LAST SEEN") || first.starts_with("NAMESPACE   LAST SEEN"))
        || (first.starts_with("NAMESPACE")
            && first.contains("LAST SEEN")
            && first.contains("REASON"))
    {
        return Some(ArtifactKind::Events);
    }
    if first.starts_with("NAME") && first.contains("STATUS") && first.contains("ROLES") {
        return Some(ArtifactKind::NodeList);
    }
    if (first.starts_with("NAME") || first.starts_with("NAMESPACE"))
        && first.contains(" READY ")
        && first.contains(" STATUS ")
    {
        return Some(ArtifactKind::PodList);
    }
    // kata-runtime --version / kata-env, containerd --version, k0s version...
    if first.starts_with("kata-runtime")
        || text.contains("[Runtime.Version]")
        || first.starts_with("containerd ")
            && first.contains("containerd")
            && first.split_whitespace().count() <= 4
    {
        return Some(ArtifactKind::Version);
    }
    if crate::parse::yaml::looks_like_yaml(trimmed) {
        // must-gather / `-o yaml`: the document's (or first List item's) kind.
        match crate::parse::yaml::kind_of(trimmed) {
            Some("Event" | "EventList") => return Some(ArtifactKind::Events),
            Some("Node" | "NodeList") => return Some(ArtifactKind::NodeList),
            Some("Pod" | "PodList") => return Some(ArtifactKind::PodJson),
            _ => {}
        }
    }
    if trimmed.starts_with('{') {
        let mut end = trimmed.len().min(4096);
        while !trimmed.is_char_boundary(end) {
            end -= 1;
        }
        let head = trimmed.get(..end).unwrap_or(trimmed);
        if head.contains("\"EventList\"") {
            return Some(ArtifactKind::Events);
        }
        if head.contains("\"NodeList\"") {
            return Some(ArtifactKind::NodeList);
        }
        let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains("\"kind\":\"PodList\"") || compact.contains("\"kind\":\"Pod\"") {
            return Some(ArtifactKind::PodJson);
        }
    }
    if is_mountinfo(text) {
        return Some(ArtifactKind::Mountinfo);
    }
    if first.starts_with("Desired=Unknown/Install")
        || crate::parse::packages::detect(text).is_some()
    {
        return Some(ArtifactKind::Packages);
    }
    if is_package_history(text) {
        return Some(ArtifactKind::PackageHistory);
    }
    if is_os_release(text) {
        return Some(ArtifactKind::OsRelease);
    }
    if first.starts_with("Client Version:") || first.starts_with("Server Version:") {
        return Some(ArtifactKind::Version);
    }
    if first.starts_with("Linux ") && first.contains(" SMP") {
        return Some(ArtifactKind::Uname);
    }
    let lines: Vec<&str> = first_lines(text, 40).collect();
    if !lines.is_empty() {
        let klog = lines
            .iter()
            .filter(|l| l.contains("kubelet") || l.contains("kubenswrapper"))
            .count();
        let klog_hdr = lines
            .iter()
            .filter(|l| crate::logline::has_klog_header(l))
            .count();
        if klog * 3 >= lines.len()
            && klog > 0
            && lines.iter().any(|l| crate::logline::has_klog_header(l))
        {
            return Some(ArtifactKind::KubeletLog);
        }
        let runtime = lines
            .iter()
            .filter(|l| {
                l.contains("containerd[")
                    || l.contains("crio[")
                    || l.contains("dockerd[")
                    || l.contains("[adaptor/")
                    || l.contains("kata")
            })
            .count();
        if runtime * 3 >= lines.len() && runtime > 0 {
            return Some(ArtifactKind::RuntimeLog);
        }
        // A plain klog file (no journald prefix) whose lines are kubelet's.
        if klog_hdr * 2 >= lines.len() && text.contains(".go:") {
            let kubeletish = [
                "kubelet",
                "volume",
                "pod",
                "SyncLoop",
                "reconciler",
                "operationExecutor",
            ];
            if kubeletish.iter().any(|w| text.contains(w)) {
                return Some(ArtifactKind::KubeletLog);
            }
        }
        let dmesg = lines.iter().filter(|l| is_dmesg_line(l)).count();
        if dmesg * 2 >= lines.len() {
            return Some(ArtifactKind::Dmesg);
        }
    }
    None
}

fn is_dmesg_line(l: &str) -> bool {
    let l = l.trim_start();
    if let Some(rest) = l.strip_prefix('[') {
        let num: String = rest.chars().take_while(|c| *c != ']').collect();
        let num = num.trim();
        return !num.is_empty() && num.chars().all(|c| c.is_ascii_digit() || c == '.');
    }
    l.contains(" kernel: ")
}

/// `KEY=value` lines with the keys every os-release has.
fn is_os_release(text: &str) -> bool {
    let keys: Vec<&str> = first_lines(text, 30)
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    keys.contains(&"ID")
        && (keys.contains(&"NAME") || keys.contains(&"PRETTY_NAME"))
        && keys.len() * 2 >= first_lines(text, 30).count()
}

fn is_mountinfo(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 5).collect();
    !lines.is_empty()
        && lines.iter().all(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            f.len() >= 10
                && f[0].bytes().all(|b| b.is_ascii_digit())
                && f[1].bytes().all(|b| b.is_ascii_digit())
                && f[2].contains(':')
                && f.contains(&"-")
        })
}

fn by_path(path: &str, text: &str) -> Option<ArtifactKind> {
    let name = base_name(path);
    let lower = path.to_ascii_lowercase();
    let first = first_lines(text, 1).next().unwrap_or("");
    let kind = match name.as_str() {
        "mountinfo" => ArtifactKind::Mountinfo,
        "mounts" | "mount" | "mount.txt" | "mount_-l" | "mount-l.txt" => ArtifactKind::Mounts,
        "os-release" | "osrelease" | "os_release" | "redhat-release" | "lsb-release" => {
            ArtifactKind::OsRelease
        }
        "hostname" | "hostname.txt" => ArtifactKind::Hostname,
        "uname" | "uname_-a" | "uname.txt" | "uname-a.txt" => ArtifactKind::Uname,
        "dmesg" | "dmesg_-t" | "dmesg.txt" | "journalctl-dmesg.txt" => ArtifactKind::Dmesg,
        "df" | "df.txt" | "df_-h" | "df_-al_-x_autofs" => ArtifactKind::Df,
        "installed-rpms" | "installed-debs" | "packages-rpm" | "packages-dpkg" => {
            ArtifactKind::Packages
        }
        "pacman.log" | "history.log" | "dnf.log" | "yum.log" | "dpkg.log" => {
            ArtifactKind::PackageHistory
        }
        "kata-env" | "kata-env.txt" | "version.txt" | "versions" | "version" => {
            ArtifactKind::Version
        }
        _ => {
            let rpm = name.contains("rpm") && name.contains("-qa");
            let dpkg = name.contains("dpkg") && name.contains("-l");
            let pacman = name.starts_with("pacman") && name.contains("-q");
            let apk = name.contains("apk") && name.contains("info");
            if rpm || dpkg || pacman || apk {
                ArtifactKind::Packages
            } else if name.contains("describe") && lower.contains("pod") {
                ArtifactKind::PodDescribe
            } else if name.contains("events") {
                ArtifactKind::Events
            } else if name.contains("kubelet")
                || name.contains("kubenswrapper")
                || name.contains("k0s")
                || name.contains("k3s")
                || name.contains("rke2")
            {
                ArtifactKind::KubeletLog
            } else if name.contains("containerd")
                || name.contains("crio")
                || name.contains("docker")
                || name.contains("kata")
                || name.contains("cloud-api-adaptor")
                || name.contains("caa")
            {
                ArtifactKind::RuntimeLog
            } else if name.ends_with(".toml")
                || name.ends_with(".conf")
                || name.ends_with(".yaml")
                || name.ends_with(".yml")
            {
                ArtifactKind::Config
            } else if name.contains("version") {
                ArtifactKind::Version
            } else {
                return None;
            }
        }
    };
    // A package list named by the command that wrote it still has to look like one.
    if kind == ArtifactKind::Packages && first.is_empty() {
        return Some(ArtifactKind::Packages);
    }
    Some(kind)
}

/// A package manager's log whatever its name (`pacman-log.txt` from a
/// troubleshoot run-host collector): most of its first lines are changes.
fn is_package_history(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 20).collect();
    let changes = crate::parse::package_history::parse(&lines.join("\n")).len();
    let alpm = lines.iter().filter(|l| l.contains("] [ALPM] ")).count();
    let apt = lines.iter().any(|l| l.starts_with("Start-Date: "));
    !lines.is_empty() && (changes * 2 >= lines.len() || alpm * 2 >= lines.len() || apt)
}

/// Text that looks like a package list whatever its name: `name-version-release.arch` rows.
pub fn looks_like_rpm_list(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 20).collect();
    lines.len() >= 3
        && lines.iter().all(|l| {
            let w = l.split_whitespace().next().unwrap_or("");
            w.matches('-').count() >= 2
                && (w.ends_with(".x86_64")
                    || w.ends_with(".noarch")
                    || w.ends_with(".aarch64")
                    || w.ends_with(".i686")
                    || w.contains(".el")
                    || w.contains(".fc"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_and_compressed_names_keep_their_kind() {
        assert_eq!(base_name("node/kubelet.log.1.gz"), "kubelet.log");
        assert_eq!(base_name("a/b/mountinfo"), "mountinfo");
    }

    #[test]
    fn a_notes_file_holding_kubelet_lines_is_a_kubelet_log() {
        let head = b"E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed: exit status 32\nI0418 08:42:40.1    1187 reconciler.go:254] operationExecutor.MountVolume started for volume\n";
        assert_eq!(classify("notes.txt", head), ArtifactKind::KubeletLog);
    }

    #[test]
    fn journald_kubelet_lines_are_a_kubelet_log_whatever_the_name() {
        let head = b"Feb 03 06:10:31 k8s-node-7 kubelet[1342]: I0203 06:10:31.703355    1342 server.go:416] Version: v1.17.17\n";
        assert_eq!(
            classify(
                "sos_commands/logs/journalctl_--no-pager_--unit_kubelet",
                head
            ),
            ArtifactKind::KubeletLog
        );
    }

    #[test]
    fn must_gather_yaml_is_classified_by_its_kind_not_its_nested_kinds() {
        // An event's involvedObject.kind is Pod; the item kind is Event.
        let events = b"---\napiVersion: v1\nitems:\n- apiVersion: v1\n  count: 1\n  involvedObject:\n    kind: Pod\n    name: web-0\n  kind: Event\n  message: x\nkind: List\n";
        assert_eq!(
            classify("namespaces/shop/core/events.yaml", events),
            ArtifactKind::Events
        );
        let pods = b"---\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web-0\nkind: PodList\n";
        assert_eq!(
            classify("namespaces/shop/core/pods.yaml", pods),
            ArtifactKind::PodJson
        );
        let node = b"---\napiVersion: v1\nkind: Node\nmetadata:\n  name: w1\n";
        assert_eq!(
            classify("cluster-scoped-resources/core/nodes/w1.yaml", node),
            ArtifactKind::NodeList
        );
        let cm = b"---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n";
        assert_eq!(
            classify("namespaces/shop/core/configmaps.yaml", cm),
            ArtifactKind::Config
        );
    }

    #[test]
    fn a_json_head_cut_inside_a_multibyte_char_does_not_panic() {
        let mut head = b"{\"kind\":\"x\",\"a\":\"".to_vec();
        while head.len() < 4095 {
            head.push(b'a');
        }
        head.extend_from_slice("\u{e9}\u{e9}\"}".as_bytes());
        assert_eq!(classify("x.json", &head), ArtifactKind::OtherLog);
    }

    #[test]
    fn package_manager_logs_are_recognised_by_content() {
        let pacman = b"[2025-06-05T16:32:58+0200] [PACMAN] Running 'pacman -Syu'\n[2025-06-05T16:32:58+0200] [PACMAN] synchronizing package lists\n[2025-06-05T16:33:01+0200] [ALPM] transaction started\n[2025-06-05T16:33:02+0200] [ALPM] upgraded util-linux-libs (2.40.4-1 -> 2.41-3)\n[2025-06-05T16:33:04+0200] [ALPM] upgraded util-linux (2.40.4-1 -> 2.41-3)\n[2025-06-05T16:33:05+0200] [ALPM] transaction completed\n";
        assert_eq!(
            classify("host-collectors/run-host/pacman-log.txt", pacman),
            ArtifactKind::PackageHistory
        );
        let apt = b"\nStart-Date: 2024-06-03  13:11:40\nCommandline: apt-get install -y nfs-common\nInstall: nfs-common:amd64 (1:2.6.1-1ubuntu1.2)\nEnd-Date: 2024-06-03  13:11:53\n";
        assert_eq!(
            classify("node/apt-history.txt", apt),
            ArtifactKind::PackageHistory
        );
        // A kubelet log that mentions an install is still a kubelet log.
        let klog = b"I0603 13:11:40.000001    1211 kubelet.go:1] \"Installed: nothing\"\nI0603 13:11:41.000001    1211 kubelet.go:2] \"SyncLoop ADD\" source=\"api\"\n";
        assert_eq!(classify("notes.txt", klog), ArtifactKind::KubeletLog);
    }

    #[test]
    fn mountinfo_is_recognised_by_content() {
        let head = b"18 41 0:17 / /sys rw,nosuid shared:6 - sysfs sysfs rw\n19 41 0:3 / /proc rw shared:5 - proc proc rw\n";
        assert_eq!(classify("whatever.txt", head), ArtifactKind::Mountinfo);
    }

    #[test]
    fn binary_content_is_skipped_even_with_a_log_name() {
        let head = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00";
        assert_eq!(classify("kubelet.log", head), ArtifactKind::Skipped);
    }

    #[test]
    fn dpkg_list_and_describe_are_sniffed() {
        assert_eq!(
            classify(
                "x",
                b"Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not\n"
            ),
            ArtifactKind::Packages
        );
        assert_eq!(
            classify(
                "x",
                b"Name:             reports-0\nNamespace:        finance\nContainers:\n"
            ),
            ArtifactKind::PodDescribe
        );
    }

    #[test]
    fn package_lists_and_os_release_are_recognised_by_content_whatever_the_name() {
        let rpm = b"gmp-6.0.0-15.el7.x86_64\nyum-3.4.3-168.el7.centos.noarch\nlibndp-1.2-9.el7.x86_64\ntar-1.26-35.el7.x86_64\n";
        assert_eq!(classify("node/installed.txt", rpm), ArtifactKind::Packages);
        let pacman = b"acl 2.3.2-1\nutil-linux 2.41-3\nutil-linux-libs 2.41-3\nzstd 1.5.7-2\n";
        assert_eq!(
            classify("host-collectors/run-host/pkgs.txt", pacman),
            ArtifactKind::Packages
        );
        let os = b"NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nVERSION_ID=\"7\"\n";
        assert_eq!(
            classify("systeminfo/release-info", os),
            ArtifactKind::OsRelease
        );
    }

    #[test]
    fn rpm_qa_output_is_recognised_by_name() {
        assert_eq!(
            classify("node/rpm-qa.txt", b"gmp-6.0.0-15.el7.x86_64\n"),
            ArtifactKind::Packages
        );
    }
}
