//! Component versions: small version artifacts (`kubectl version`, `uname`,
//! `containerd --version`, `kata-runtime kata-env`, `docker info`,
//! `rpm-ostree status`, `/proc/sys/kernel/osrelease`, `/proc/cmdline`, ...)
//! and version statements inside log lines (kubelet start-up, including the
//! `Docker Info: &{...}` struct dockershim logs).
//!
//! Versions are kept as printed except for a leading `v` before a digit, so
//! `v1.28.3+k3s1` becomes `1.28.3+k3s1` and distribution suffixes survive for
//! the rules that need them. Component `os` is the operating system as the
//! source names it: `docker info`'s `Operating System` line whole (`Ubuntu
//! 16.04.4 LTS`), or the booted rpm-ostree deployment's `Version` (see
//! [`parse`]).

use std::sync::OnceLock;

use regex::Regex;

use super::regex;
use serde_json::Value;

use crate::facts::VersionFact;

/// Every version stated in a version artifact, server-side Kubernetes first
/// (`kubectl version` prints the client first, but the server is the one rules
/// want), then the rest in file order. Identical (component, version) pairs are
/// reported once. Never panics; text with no version gives an empty Vec.
///
/// `rpm-ostree status` gives component `os` as the booted (`*` or `●`)
/// deployment's `Version:` without its build date, e.g.
/// `418.94.202410211616-0`: the command names no product, and guessing one
/// from the origin would be wrong for OKD's CentOS Stream CoreOS, which pulls
/// from the same kind of image; the build id is what RHCOS/FCOS os-release
/// `VERSION` and the node's `osImage` carry too.
///
/// A file holding one token that looks like a kernel release
/// (`4.18.0-305.10.2.el8_4.x86_64`, `6.1.100+`) is read as `kernel`; a bare
/// `1.2.3` is not. The check is by shape only, so a firmware version of the
/// same shape (SeaBIOS's `1.14.0-1.module+el8.4.0+8855+a9e237a9` in
/// `/sys/class/dmi/id/bios_version`) passes too: callers exclude such paths.
pub fn parse(text: &str) -> Vec<VersionFact> {
    let trimmed = text.trim_start();
    let facts = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v) => from_json(&v, text),
            Err(_) => from_lines(text),
        }
    } else {
        from_lines(text)
    };
    let mut out: Vec<VersionFact> = Vec::new();
    for f in facts {
        if !out
            .iter()
            .any(|o| o.component == f.component && o.version == f.version)
        {
            out.push(f);
        }
    }
    out
}

/// The version a single log line states, for lines the log scanner already
/// picked: kubelet start-up (`Version: v1.17.17`, `"Kubelet version"
/// kubeletVersion="v1.29.4"`), the kubelet's `"Container runtime initialized"`
/// and older `Container runtime docker initialized, version: 18.09.7`,
/// dockershim's `Docker Info: &{... ServerVersion:18.09.7 ...}` (the docker
/// version only: one fact per line), containerd's `starting containerd`, and
/// kata agent/runtime lines. `line` is 0; the caller knows where the line came
/// from.
pub fn from_log_line(line: &str) -> Option<VersionFact> {
    let fact = |component: &str, version: &str| VersionFact {
        component: component.to_string(),
        version: strip_v(version),
        line: 0,
    };
    if let Some(c) = cap(kubelet_version_re(), line) {
        return Some(fact("kubernetes", c.get(1)?.as_str()));
    }
    if let Some(c) = cap(runtime_initialized_old_re(), line) {
        let runtime = c.get(1)?.as_str();
        return Some(fact(&runtime_component(runtime), c.get(2)?.as_str()));
    }
    // Before the kata check: the struct lists runtimes, `kata-runtime` among them.
    if docker_info_re().is_some_and(|re| re.is_match(line)) {
        return go_field(line, "ServerVersion").map(|v| fact("docker", v));
    }
    if line.contains("Container runtime initialized") {
        let c = cap(runtime_initialized_re(), line)?;
        let runtime = c.get(1)?.as_str();
        let version = cap(version_field_re(), line)?.get(1)?.as_str().to_string();
        return Some(fact(&runtime_component(runtime), &version));
    }
    if line.contains("starting containerd") {
        let c = cap(version_field_re(), line)?;
        return Some(fact("containerd", c.get(1)?.as_str()));
    }
    if line.to_ascii_lowercase().contains("kata") {
        let c = cap(kata_log_re(), line)?;
        let v = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?;
        return Some(fact("kata", v.as_str()));
    }
    if let Some(c) = cap(klog_version_re(), line) {
        return Some(fact("kubernetes", c.get(1)?.as_str()));
    }
    None
}

fn cap<'t>(re: Option<&Regex>, text: &'t str) -> Option<regex::Captures<'t>> {
    re?.captures(text)
}

macro_rules! lazy_re {
    ($name:ident, $pattern:expr) => {
        fn $name() -> Option<&'static Regex> {
            static RE: OnceLock<Option<Regex>> = OnceLock::new();
            regex(&RE, $pattern)
        }
    };
}

// `kubectl version`: old `version.Info{... GitVersion:"v1.17.17" ...}` and new `v1.29.4`.
lazy_re!(kubectl_line_re, r"^\s*(Client|Server) Version:\s*(.*)$");
lazy_re!(go_struct_version_re, r#"GitVersion:"([^"]+)""#);
lazy_re!(bare_version_re, r"^(v?\d+\.\d+[^\s,]*)");
// `-o yaml` / pretty `-o json`, also when the JSON does not parse as a whole.
lazy_re!(
    git_version_re,
    r#"^\s*"?gitVersion"?\s*:\s*"?(v?\d[^",\s]*)"?"#
);
lazy_re!(block_re, r#"^\s*"?(serverVersion|clientVersion)"?\s*:"#);
// kata: `kata-runtime  : 3.2.0`, the shim's `--version`, kata-env TOML.
lazy_re!(kata_runtime_re, r"^\s*kata-runtime\s*:\s*(\S+)");
lazy_re!(
    kata_shim_re,
    r"^Kata Containers containerd shim.*\bversion:\s*([^,\s]+)"
);
lazy_re!(toml_section_re, r"^\s*\[([^\]]+)\]\s*$");
lazy_re!(toml_semver_re, r#"^\s*Semver\s*=\s*"([^"]+)""#);
lazy_re!(toml_kernel_re, r#"^\s*Kernel\s*=\s*"([^"]+)""#);
// kata-env's `[Host.Distro]` table: `Name = "CentOS Linux"`, `Version = "7"`.
lazy_re!(toml_distro_re, r#"^\s*(Name|Version)\s*=\s*"([^"]+)""#);
// `k3s --version`, `rke2 --version`, and `k0s version` (a bare `v1.30.1+k0s.0`).
lazy_re!(distro_re, r"^\s*(?:k3s|rke2) version (v?\d+\.\d+\S*)");
lazy_re!(k0s_re, r"^\s*(v?\d+\.\d+\.\d+\+k0s\S*)\s*$");
// `containerd containerd.io 1.6.31 e377cd56...` / `containerd github.com/containerd/containerd v1.7.13 7c3a...`.
lazy_re!(containerd_re, r"^\s*containerd\s+\S+\s+(v?\d+\.\d+\S*)");
// `crictl version`: `RuntimeName:  containerd` then `RuntimeVersion:  v1.7.11-k3s2`.
lazy_re!(runtime_name_re, r"^\s*RuntimeName:\s*(\S+)");
lazy_re!(runtime_version_re, r"^\s*RuntimeVersion:\s*(\S+)");
// `crio version`: `crio version 1.18.3` (old first line) and `Version:  1.28.1`.
lazy_re!(crio_first_re, r"^\s*crio version (\d\S*)");
lazy_re!(col0_version_re, r"^Version:\s+(\S+)");
// `docker --version` and the Server block of `docker version`.
lazy_re!(docker_short_re, r"^\s*Docker version ([^,\s]+)");
lazy_re!(indented_version_re, r"^\s+Version:\s+(\S+)");
// `uname -a` and a lone `uname -r`: `x.y.z-<more>`, or GKE COS's `6.1.100+`.
lazy_re!(uname_a_re, r"^Linux\s+\S+\s+(\d+\.\d+\S*)\s+#");
lazy_re!(
    kernel_release_re,
    r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z._+~-]+|\+)$"
);
// `docker info`, both the old column-0 layout and the `Server:` block.
lazy_re!(docker_server_version_re, r"^\s*Server Version:\s*(\S+)");
lazy_re!(docker_kernel_re, r"^\s*Kernel Version:\s*(\S.*?)\s*$");
lazy_re!(docker_os_re, r"^\s*Operating System:\s*(\S.*?)\s*$");
// The Go struct dockershim and minikube log: `Docker Info: &{ID:... }`,
// `docker info: {ID:...}`, rke's `Docker Info found: types.Info{ID:"..."}`.
lazy_re!(
    docker_info_re,
    r"(?i)\bdocker info(?: found)?:\s*(?:&|types\.Info)?\{"
);
// The next ` Key:` of a `%+v` struct, where the previous value ends.
lazy_re!(go_next_field_re, r"\s[A-Z][A-Za-z0-9]*:");
// `/proc/cmdline`: `BOOT_IMAGE=(hd0,gpt3)/ostree/rhcos-<hash>/vmlinuz-<release> ...`.
lazy_re!(
    boot_image_re,
    r"(?:^|\s)BOOT_IMAGE=\S*/vmlinuz-(\d+\.\d+[^\s/]*)"
);

// Log lines.
lazy_re!(
    kubelet_version_re,
    r#""Kubelet version"\s+kubeletVersion="([^"]+)""#
);
lazy_re!(
    klog_version_re,
    r"(?:^|\]\s+|\s)Version:\s+(v\d+\.\d+\.\d+[^\s\x22]*)"
);
lazy_re!(runtime_initialized_re, r#"containerRuntime="([^"]+)""#);
lazy_re!(
    runtime_initialized_old_re,
    r"Container runtime (\S+) initialized, version: ([^,\s]+)"
);
lazy_re!(version_field_re, r#"(?:^|\s)version="?(v?\d[^"\s]*)"?"#);
lazy_re!(
    kata_log_re,
    r#""version"\s*:\s*"(v?\d[^"]*)"|kata-agent version:? (v?\d\S*)|\bversion=(v?\d[^\s"]*)"#
);

fn strip_v(v: &str) -> String {
    match v.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => v.to_string(),
    }
}

fn runtime_component(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "containerd" => "containerd".to_string(),
        "docker" => "docker".to_string(),
        "cri-o" | "crio" => "cri-o".to_string(),
        other => other.to_string(),
    }
}

/// The value of `key` in a Go `%+v` / `%#v` struct dump: a quoted string, or
/// the text up to the next ` Key:` field (values such as `KernelVersion:10.0
/// 17763 (17763.1.amd64fre.rs5_release.180914-1434)` contain spaces).
fn go_field<'t>(line: &'t str, key: &str) -> Option<&'t str> {
    let pat = format!("{key}:");
    let mut from = 0;
    while let Some(off) = line.get(from..)?.find(&pat) {
        let at = from + off;
        from = at + pat.len();
        // `ServerVersion:` must not be the tail of another field name.
        if !matches!(line.get(..at)?.chars().last(), Some(' ' | '{' | ',')) {
            continue;
        }
        let rest = line.get(from..)?;
        let value = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next()?,
            None => {
                let end = go_next_field_re()
                    .and_then(|re| re.find(rest))
                    .map_or(rest.len(), |m| m.start());
                rest.get(..end)?.trim_end().trim_end_matches('}')
            }
        };
        let value = value.trim();
        return (!value.is_empty()).then_some(value);
    }
    None
}

fn line_no(i: usize) -> u64 {
    u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1)
}

fn from_lines(text: &str) -> Vec<VersionFact> {
    // crio's `Version:` sits in column 0 with nothing naming the tool on that
    // line; only its companion keys say whose version it is.
    let is_crio = [
        "crio version",
        "GitCommitDate:",
        "SeccompEnabled:",
        "AppArmorEnabled:",
    ]
    .iter()
    .any(|m| text.contains(m));
    // `Server Version:` alone is also `kubectl version`'s; docker info's
    // companion keys tell them apart.
    let is_docker_info = text.contains("Server Version:")
        && ["Storage Driver:", "Docker Root Dir:", "Cgroup Driver:"]
            .iter()
            .any(|m| text.contains(m));
    let is_rpm_ostree = text.lines().any(|l| {
        let l = l.trim_end();
        l == "Deployments:" || l == "BootedDeployment:"
    });
    let mut booted = false;
    let mut os_seen = false;
    let mut server: Vec<VersionFact> = Vec::new();
    let mut rest: Vec<VersionFact> = Vec::new();
    let mut block: Option<bool> = None; // Some(true) inside serverVersion:, Some(false) inside clientVersion:
    let mut section = String::new();
    let mut runtime_name: Option<String> = None;
    let mut docker_server = false;
    let mut single_token: Option<(usize, &str)> = None;
    let mut nonempty = 0usize;

    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let n = line_no(i);
        let fact = |component: &str, version: &str| VersionFact {
            component: component.to_string(),
            version: strip_v(version),
            line: n,
        };
        if !line.trim().is_empty() {
            nonempty += 1;
            single_token = Some((i, line.trim()));
        }
        if docker_info_re().is_some_and(|re| re.is_match(line)) {
            for (key, component) in [
                ("ServerVersion", "docker"),
                ("KernelVersion", "kernel"),
                ("OperatingSystem", "os"),
            ] {
                if let Some(v) = go_field(line, key) {
                    rest.push(fact(component, v));
                }
            }
            continue;
        }
        if is_docker_info {
            let found = [
                (docker_server_version_re(), "docker"),
                (docker_kernel_re(), "kernel"),
                (docker_os_re(), "os"),
            ]
            .into_iter()
            .find_map(|(re, component)| Some((cap(re, line)?.get(1)?, component)));
            if let Some((v, component)) = found {
                rest.push(fact(component, v.as_str()));
                continue;
            }
        }
        if is_rpm_ostree {
            // `● origin` / `* origin` opens the booted deployment; another
            // deployment's origin (two spaces in) or a blank line closes it.
            if line.starts_with("● ") || line.starts_with("* ") {
                booted = true;
                continue;
            }
            let other_origin = line
                .strip_prefix("  ")
                .is_some_and(|r| r.starts_with(|c: char| !c.is_whitespace()));
            if line.trim().is_empty() || other_origin {
                booted = false;
            }
            if booted && !os_seen {
                if let Some(v) = cap(indented_version_re(), line).and_then(|c| c.get(1)) {
                    rest.push(fact("os", v.as_str()));
                    os_seen = true;
                    continue;
                }
            }
        }
        if let Some(v) = cap(boot_image_re(), line).and_then(|c| c.get(1)) {
            rest.push(fact("kernel", v.as_str()));
            continue;
        }
        if let Some(c) = cap(kubectl_line_re(), line) {
            let is_server = c.get(1).map(|m| m.as_str()) == Some("Server");
            let value = c.get(2).map_or("", |m| m.as_str());
            let version = cap(go_struct_version_re(), value)
                .or_else(|| cap(bare_version_re(), value.trim()))
                .and_then(|v| v.get(1));
            if let Some(v) = version {
                let f = fact("kubernetes", v.as_str());
                if is_server {
                    server.push(f);
                } else {
                    rest.push(f);
                }
            }
            continue;
        }
        if let Some(c) = cap(block_re(), line) {
            block = Some(c.get(1).map(|m| m.as_str()) == Some("serverVersion"));
            continue;
        }
        if let Some(v) = cap(git_version_re(), line).and_then(|c| c.get(1)) {
            // Outside a client/server block the document describes the cluster
            // (troubleshoot's cluster_version, `kubeadm version -o yaml`).
            let f = fact("kubernetes", v.as_str());
            if block == Some(false) {
                rest.push(f);
            } else {
                server.push(f);
            }
            continue;
        }
        if let Some(c) = cap(toml_section_re(), line) {
            section = c.get(1).map_or("", |m| m.as_str()).to_string();
            continue;
        }
        if section.starts_with("Runtime.Version") {
            if let Some(v) = cap(toml_semver_re(), line).and_then(|c| c.get(1)) {
                rest.push(fact("kata", v.as_str()));
                continue;
            }
        }
        if section == "Host" {
            if let Some(v) = cap(toml_kernel_re(), line).and_then(|c| c.get(1)) {
                rest.push(fact("kernel", v.as_str()));
                continue;
            }
        }
        if section == "Host.Distro" {
            if let Some(c) = cap(toml_distro_re(), line) {
                let value = c.get(2).map_or("", |m| m.as_str());
                // The name opens the OS fact; the version, on the next line, completes it.
                match c.get(1).map(|m| m.as_str()) {
                    Some("Name") => rest.push(fact("os", value)),
                    _ => {
                        if let Some(os) = rest.iter_mut().rev().find(|f| f.component == "os") {
                            os.version = format!("{} {value}", os.version);
                        }
                    }
                }
                continue;
            }
        }
        if let Some(v) = cap(kata_runtime_re(), line)
            .or_else(|| cap(kata_shim_re(), line))
            .and_then(|c| c.get(1))
        {
            rest.push(fact("kata", v.as_str()));
            continue;
        }
        if let Some(v) = cap(distro_re(), line)
            .or_else(|| cap(k0s_re(), line))
            .and_then(|c| c.get(1))
        {
            server.push(fact("kubernetes", v.as_str()));
            continue;
        }
        if let Some(v) = cap(containerd_re(), line).and_then(|c| c.get(1)) {
            rest.push(fact("containerd", v.as_str()));
            continue;
        }
        if let Some(c) = cap(runtime_name_re(), line).and_then(|c| c.get(1)) {
            runtime_name = Some(runtime_component(c.as_str()));
            continue;
        }
        if let Some(v) = cap(runtime_version_re(), line).and_then(|c| c.get(1)) {
            if let Some(name) = runtime_name.as_deref() {
                rest.push(fact(name, v.as_str()));
            }
            continue;
        }
        if let Some(v) = cap(crio_first_re(), line).and_then(|c| c.get(1)) {
            rest.push(fact("cri-o", v.as_str()));
            continue;
        }
        if is_crio {
            if let Some(v) = cap(col0_version_re(), line).and_then(|c| c.get(1)) {
                rest.push(fact("cri-o", v.as_str()));
                continue;
            }
        }
        if let Some(v) = cap(docker_short_re(), line).and_then(|c| c.get(1)) {
            rest.push(fact("docker", v.as_str()));
            continue;
        }
        if line.starts_with("Server:") {
            docker_server = line.contains("Docker") || line.trim() == "Server:";
            continue;
        }
        if line.starts_with("Client:") {
            docker_server = false;
            continue;
        }
        if docker_server {
            if let Some(v) = cap(indented_version_re(), line).and_then(|c| c.get(1)) {
                rest.push(fact("docker", v.as_str()));
                // Only the Engine's version; containerd/runc blocks follow.
                docker_server = false;
                continue;
            }
        }
        if let Some(v) = cap(uname_a_re(), line).and_then(|c| c.get(1)) {
            rest.push(fact("kernel", v.as_str()));
            continue;
        }
    }
    // `uname -r` prints one token; only a file holding nothing else is read as
    // a kernel release, because a lone `1.2.3-4` elsewhere could be anything.
    if nonempty == 1 && server.is_empty() && rest.is_empty() {
        if let Some((i, token)) = single_token {
            if kernel_release_re().is_some_and(|re| re.is_match(token)) {
                rest.push(VersionFact {
                    component: "kernel".to_string(),
                    version: token.to_string(),
                    line: line_no(i),
                });
            }
        }
    }
    server.extend(rest);
    server
}

fn git(v: Option<&Value>) -> Option<&str> {
    v.and_then(|x| x.get("gitVersion")).and_then(Value::as_str)
}

/// 1-based line of the first line of `text` containing `needle`, 0 if none.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, line_no)
}

fn from_json(root: &Value, text: &str) -> Vec<VersionFact> {
    let mut server = Vec::new();
    let mut rest = Vec::new();
    let fact = |component: &str, version: &str| VersionFact {
        component: component.to_string(),
        version: strip_v(version),
        line: line_of(text, &format!("\"{version}\"")),
    };
    // `kubectl version -o json`, troubleshoot `cluster-info/cluster_version.json`
    // (`{"info": {...}, "string": ...}`) and a bare version.Info object.
    for (node, is_server) in [
        (root.get("serverVersion"), true),
        (root.get("info"), true),
        (Some(root), true),
        (root.get("clientVersion"), false),
    ] {
        if let Some(v) = git(node) {
            if is_server {
                server.push(fact("kubernetes", v));
            } else {
                rest.push(fact("kubernetes", v));
            }
        }
    }
    // A NodeList (or Node) carries each node's kubelet, runtime and kernel.
    let nodes: Vec<&Value> = match root.get("items").and_then(Value::as_array) {
        Some(items) => items.iter().collect(),
        None if root.get("kind").and_then(Value::as_str) == Some("Node") => vec![root],
        None => Vec::new(),
    };
    for node in nodes {
        let Some(info) = node.get("status").and_then(|s| s.get("nodeInfo")) else {
            continue;
        };
        let field = |k: &str| {
            info.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        if let Some(v) = field("kubeletVersion") {
            server.push(fact("kubernetes", v));
        }
        // `containerd://1.6.6-k3s1`, `docker://24.0.7`, `cri-o://1.28.1`.
        if let Some((scheme, v)) =
            field("containerRuntimeVersion").and_then(|r| r.split_once("://"))
        {
            let mut f = fact(&runtime_component(scheme), v);
            f.line = line_of(text, &format!("{scheme}://{v}"));
            rest.push(f);
        }
        if let Some(v) = field("kernelVersion") {
            rest.push(fact("kernel", v));
        }
    }
    server.extend(rest);
    server
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::noise_and_salad;

    // eval pub03: sos `kubectl version` (kubectl 1.17, Go struct form).
    const PUB03_KUBECTL_VERSION: &str = r#"Client Version: version.Info{Major:"1", Minor:"17", GitVersion:"v1.17.17", GitCommit:"f3abc15296f3a3f54e4ee42e830c61047b13895f", GitTreeState:"clean", BuildDate:"2021-01-13T13:21:12Z", GoVersion:"go1.13.15", Compiler:"gc", Platform:"linux/amd64"}
Server Version: version.Info{Major:"1", Minor:"17", GitVersion:"v1.17.17", GitCommit:"f3abc15296f3a3f54e4ee42e830c61047b13895f", GitTreeState:"clean", BuildDate:"2021-01-13T13:13:00Z", GoVersion:"go1.13.15", Compiler:"gc", Platform:"linux/amd64"}
"#;
    // Real troubleshoot k3s bundle, cluster-info/cluster_version.json.
    const TROUBLESHOOT_CLUSTER_VERSION: &str = r#"{
  "info": {
    "major": "1",
    "minor": "24",
    "gitVersion": "v1.24.4+k3s1",
    "gitCommit": "c3f830e9b9ed8a4d9d0e2aa663b4591b923a296e",
    "platform": "linux/arm64"
  },
  "string": "v1.24.4+k3s1"
}"#;

    fn pairs(facts: &[VersionFact]) -> Vec<(&str, &str, u64)> {
        facts
            .iter()
            .map(|f| (f.component.as_str(), f.version.as_str(), f.line))
            .collect()
    }

    #[test]
    fn all_patterns_compile() {
        for re in [
            kubectl_line_re(),
            go_struct_version_re(),
            bare_version_re(),
            git_version_re(),
            block_re(),
            kata_runtime_re(),
            kata_shim_re(),
            toml_section_re(),
            toml_semver_re(),
            toml_kernel_re(),
            distro_re(),
            k0s_re(),
            containerd_re(),
            runtime_name_re(),
            runtime_version_re(),
            crio_first_re(),
            col0_version_re(),
            docker_short_re(),
            indented_version_re(),
            uname_a_re(),
            kernel_release_re(),
            docker_server_version_re(),
            docker_kernel_re(),
            docker_os_re(),
            docker_info_re(),
            go_next_field_re(),
            boot_image_re(),
            runtime_initialized_old_re(),
            kubelet_version_re(),
            klog_version_re(),
            runtime_initialized_re(),
            version_field_re(),
            kata_log_re(),
        ] {
            assert!(re.is_some());
        }
    }

    #[test]
    fn kubectl_version_old_and_new() {
        // Same client and server version: reported once, as the server's line.
        assert_eq!(
            pairs(&parse(PUB03_KUBECTL_VERSION)),
            vec![("kubernetes", "1.17.17", 2)]
        );
        let new = "Client Version: v1.30.2\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.29.4\n";
        assert_eq!(
            pairs(&parse(new)),
            vec![("kubernetes", "1.29.4", 3), ("kubernetes", "1.30.2", 1)]
        );
    }

    #[test]
    fn yaml_and_json_version_documents() {
        let yaml = "clientVersion:\n  gitVersion: v1.30.2\n  major: \"1\"\nkustomizeVersion: v5.0.4\nserverVersion:\n  gitVersion: v1.28.3+k3s1\n";
        assert_eq!(
            pairs(&parse(yaml)),
            vec![
                ("kubernetes", "1.28.3+k3s1", 6),
                ("kubernetes", "1.30.2", 2)
            ]
        );
        assert_eq!(
            pairs(&parse(TROUBLESHOOT_CLUSTER_VERSION)),
            vec![("kubernetes", "1.24.4+k3s1", 5)]
        );
        let json = r#"{"clientVersion":{"gitVersion":"v1.30.2"},"serverVersion":{"gitVersion":"v1.29.4"}}"#;
        assert_eq!(
            pairs(&parse(json)),
            vec![("kubernetes", "1.29.4", 1), ("kubernetes", "1.30.2", 1)]
        );
        // troubleshoot's own version.yaml names the collector, not the cluster.
        let ts = "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: v0.50.0-13-gd9e2465-dirty\n";
        assert!(parse(ts).is_empty());
    }

    /// `kata-runtime kata-env` on a CentOS host, as kata-containers issue 405
    /// quotes it.
    #[test]
    fn kata_env_names_the_host_os_and_kernel() {
        let env = "[Host]\n  Kernel = \"4.18.0-80.mt20191225.323.el8_0.x86_64\"\n  Architecture = \"amd64\"\n  VMContainerCapable = true\n  SupportVSocks = true\n  [Host.Distro]\n    Name = \"CentOS Linux\"\n    Version = \"7\"\n  [Host.CPU]\n    Vendor = \"GenuineIntel\"\n    Model = \"Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz\"\n";
        assert_eq!(
            pairs(&parse(env)),
            vec![
                ("kernel", "4.18.0-80.mt20191225.323.el8_0.x86_64", 2),
                ("os", "CentOS Linux 7", 7)
            ]
        );
        // The CPU's `Model` and a `Name` outside `[Host.Distro]` are no OS.
        let cpu = "[Host.CPU]\n    Name = \"x86\"\n[Hypervisor]\n  Version = \"QEMU emulator version 7.2.0\"\n";
        assert!(pairs(&parse(cpu)).iter().all(|(c, _, _)| *c != "os"));
    }

    #[test]
    fn runtimes_and_distributions() {
        let kata_env = "[Kernel]\n  Path = \"/opt/kata/share/kata-containers/vmlinux-6.1.62-121\"\n[Runtime]\n  Debug = false\n  [Runtime.Version]\n    OCI = \"1.1.0+dev\"\n    [Runtime.Version.Version]\n      Semver = \"3.7.0\"\n      Commit = \"abc\"\n      Major = 3\n[Host]\n  Kernel = \"5.14.0-362.8.1.el9_3.x86_64\"\n[Agent]\n  Debug = false\n";
        assert_eq!(
            pairs(&parse(kata_env)),
            vec![
                ("kata", "3.7.0", 8),
                ("kernel", "5.14.0-362.8.1.el9_3.x86_64", 12)
            ]
        );
        let kata = "kata-runtime  : 3.2.0\n   commit   : 7fd5e1e\n   OCI specs: 1.1.0+dev\n";
        assert_eq!(pairs(&parse(kata)), vec![("kata", "3.2.0", 1)]);
        assert_eq!(
            pairs(&parse("v1.30.1+k0s.0\n")),
            vec![("kubernetes", "1.30.1+k0s.0", 1)]
        );
        assert_eq!(
            pairs(&parse(
                "k3s version v1.28.3+k3s1 (bbafb86e)\ngo version go1.20.10\n"
            )),
            vec![("kubernetes", "1.28.3+k3s1", 1)]
        );
        assert_eq!(
            pairs(&parse(
                "containerd containerd.io 1.6.31 e377cd56a71523140ca6ae87e30244719194a521\n"
            )),
            vec![("containerd", "1.6.31", 1)]
        );
        assert_eq!(
            pairs(&parse("containerd github.com/containerd/containerd v1.7.13 7c3aca7a610df76212171d200ca3811ff6096eb8\n")),
            vec![("containerd", "1.7.13", 1)]
        );
        let crio = "Version:        1.28.1\nGitCommit:      unknown\nGitCommitDate:  unknown\nGoVersion:      go1.20.10\nSeccompEnabled:   true\n";
        assert_eq!(pairs(&parse(crio)), vec![("cri-o", "1.28.1", 1)]);
        let crictl = "Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.11-k3s2\nRuntimeApiVersion:  v1\n";
        assert_eq!(
            pairs(&parse(crictl)),
            vec![("containerd", "1.7.11-k3s2", 3)]
        );
        assert_eq!(
            pairs(&parse("Docker version 20.10.21, build baeda1f\n")),
            vec![("docker", "20.10.21", 1)]
        );
        let docker = "Client: Docker Engine - Community\n Version:           24.0.7\nServer: Docker Engine - Community\n Engine:\n  Version:          24.0.6\n containerd:\n  Version:          1.6.25\n";
        assert_eq!(pairs(&parse(docker)), vec![("docker", "24.0.6", 5)]);
    }

    #[test]
    fn kernel_from_uname() {
        let uname_a = "Linux k8s-node-7 3.10.0-1160.11.1.el7.x86_64 #1 SMP Mon Nov 30 13:05:31 EST 2020 x86_64 x86_64 x86_64 GNU/Linux\n";
        assert_eq!(
            pairs(&parse(uname_a)),
            vec![("kernel", "3.10.0-1160.11.1.el7.x86_64", 1)]
        );
        assert_eq!(
            pairs(&parse("5.14.0-362.8.1.el9_3.x86_64\n")),
            vec![("kernel", "5.14.0-362.8.1.el9_3.x86_64", 1)]
        );
        // A bare `1.2.3` is not assumed to be a kernel.
        assert!(parse("6.8.0\n").is_empty());
    }

    #[test]
    fn node_list_json_gives_kubelet_runtime_and_kernel() {
        let text = "{\n \"kind\": \"NodeList\",\n \"items\": [{\"status\": {\"nodeInfo\": {\n  \"kernelVersion\": \"5.15.49-linuxkit\",\n  \"containerRuntimeVersion\": \"containerd://1.6.6-k3s1\",\n  \"kubeletVersion\": \"v1.24.4+k3s1\"}}}]}";
        assert_eq!(
            pairs(&parse(text)),
            vec![
                ("kubernetes", "1.24.4+k3s1", 6),
                ("containerd", "1.6.6-k3s1", 5),
                ("kernel", "5.15.49-linuxkit", 4)
            ]
        );
    }

    #[test]
    fn versions_in_log_lines() {
        let v = |line: &str| from_log_line(line).map(|f| (f.component, f.version));
        let some = |c: &str, ver: &str| Some((c.to_string(), ver.to_string()));
        assert_eq!(v("Feb 03 11:20:01 k8s-node-7 kubelet[1123]: I0203 11:20:01.335100    1123 server.go:416] Version: v1.17.17"), some("kubernetes", "1.17.17"));
        assert_eq!(
            v(
                r#"I0514 10:31:02.114501    2201 server.go:487] "Kubelet version" kubeletVersion="v1.29.4""#
            ),
            some("kubernetes", "1.29.4")
        );
        assert_eq!(
            v(
                r#"I0514 10:31:02.501128    2201 kuberuntime_manager.go:258] "Container runtime initialized" containerRuntime="containerd" version="1.6.31" apiVersion="v1""#
            ),
            some("containerd", "1.6.31")
        );
        assert_eq!(
            v(
                r#"time="2024-05-14T10:30:58.101Z" level=info msg="starting containerd" revision=7c3aca7a610df76212171d200ca3811ff6096eb8 version=v1.7.13"#
            ),
            some("containerd", "1.7.13")
        );
        assert_eq!(
            v(r#"level=info msg="starting containerd" revision=ab12 version="v1.7.13""#),
            some("containerd", "1.7.13")
        );
        assert_eq!(
            v(r#"{"msg":"announce","name":"kata-agent","version":"3.7.0","pid":1}"#),
            some("kata", "3.7.0")
        );
        assert_eq!(v("kata-agent version 3.7.0"), some("kata", "3.7.0"));
        assert_eq!(
            v(r#"time="x" level=info msg="loaded configuration" source=katautils version=3.7.0"#),
            some("kata", "3.7.0")
        );
        assert_eq!(
            v(
                r#"I0514 "Container runtime initialized" containerRuntime="docker" version="24.0.7""#
            ),
            some("docker", "24.0.7")
        );
        assert_eq!(v("kubelet: MountVolume.SetUp failed for volume"), None);
        assert_eq!(v("kata shim exited"), None);
        assert_eq!(v(""), None);
    }

    /// `docker info` in the old column-0 layout, from cilium-bugtool's
    /// `cmd/docker-info.md`, https://github.com/cilium/cilium/pull/4250.
    const CILIUM_DOCKER_INFO: &str = "Containers: 2
 Running: 2
 Paused: 0
 Stopped: 0
Images: 18
Server Version: 18.03.1-ce
Storage Driver: overlay2
 Backing Filesystem: extfs
 Supports d_type: true
 Native Overlay Diff: true
Logging Driver: json-file
Cgroup Driver: cgroupfs
Plugins:
 Volume: local
 Network: bridge host macvlan null overlay
Swarm: inactive
Runtimes: runc
Default Runtime: runc
Init Binary: docker-init
containerd version: 773c489c9c1b21a6d78b5c538cd395416ec50f88
runc version: 4fc53a81fb7c994640722ac585fa9ca548971871
init version: 949e6fa
Security Options:
 apparmor
 seccomp
  Profile: default
Kernel Version: 4.9.13-040913-generic
Operating System: Ubuntu 17.10
OSType: linux
Architecture: x86_64
CPUs: 2
Total Memory: 2.936GiB
Name: runtime1
Docker Root Dir: /var/lib/docker
";

    /// `docker info` of Docker 20.10 on Windows (Client/Server blocks),
    /// https://github.com/moby/moby/issues/43284 (cut after `Docker Root Dir`).
    const WINDOWS_DOCKER_INFO: &str = "Client:
 Context:    default
 Debug Mode: false
 Plugins:
  buildx: Docker Buildx (Docker Inc., v0.7.1)
  compose: Docker Compose (Docker Inc., v2.2.3)

Server:
 Containers: 0
  Running: 0
  Paused: 0
  Stopped: 0
 Images: 4
 Server Version: 20.10.12
 Storage Driver: windowsfilter
  Windows:
 Logging Driver: json-file
 Plugins:
  Volume: local
 Swarm: inactive
 Default Isolation: hyperv
 Kernel Version: 10.0 22000 (22000.1.amd64fre.co_release.210604-1628)
 Operating System: Windows 10 Pro Version 2009 (OS Build 22000.527)
 OSType: windows
 Architecture: x86_64
 CPUs: 32
 Docker Root Dir: C:\\ProgramData\\Docker
";

    /// The kubelet's dockershim start-up line on Windows,
    /// https://github.com/rancher/rancher/issues/17341 (the issue wraps one
    /// URL, `index.docker.io`, which is rejoined; cut after `DefaultRuntime:`).
    const WINDOWS_DOCKER_STRUCT: &str = "I0508 03:16:25.511344    2320 docker_service.go:258] Docker Info: &{ID:LT7H:PVY2:3BER:PKRO:OQTW:PE5L:5YVN:I6LI:HNXT:JFMW:M2FM:S3BP Containers:2 ContainersRunning:0 ContainersPaused:0 ContainersStopped:2 Images:3 Driver:windowsfilter DriverStatus:[[Windows ]] SystemStatus:[] Plugins:{Volume:[local] Network:[ics l2bridge l2tunnel nat null overlay transparent] Authorization:[] Log:[awslogs etwlogs fluentd gelf json-file local logentries splunk syslog]} MemoryLimit:false SwapLimit:false KernelMemory:false CPUCfsPeriod:false CPUCfsQuota:false CPUShares:false CPUSet:false IPv4Forwarding:true BridgeNfIptables:true BridgeNfIP6tables:true Debug:false NFd:-1 OomKillDisable:false NGoroutines:43 SystemTime:2019-05-08T03:16:25.508341Z LoggingDriver:json-file CgroupDriver: NEventsListener:0 KernelVersion:10.0 17763 (17763.1.amd64fre.rs5_release.180914-1434) OperatingSystem:Windows Server Datacenter Version 1809 (OS Build 17763.437) OSType:windows Architecture:x86_64 IndexServerAddress:https://index.docker.io/v1/ RegistryConfig:0xc0005b3110 NCPU:2 MemTotal:8589524992 GenericResources:[] DockerRootDir:C:\\ProgramData\\docker HTTPProxy: HTTPSProxy: NoProxy: Name:EC2AMAZ-JEJJM6I Labels:[] ExperimentalBuild:false ServerVersion:18.09.5 ClusterStore: ClusterAdvertise: Runtimes:map[] DefaultRuntime:";

    /// A standalone kubelet 1.14 on Ubuntu/docker, from the RX-M lab notes
    /// https://github.com/jranjan/zealotGurukul/blob/HEAD/training/advanced-kubernetes/rx-m-kubernetes-advanced-lab-02-aws.md
    /// (the struct line cut after `ServerVersion:18.09.3 ClusterStore:`).
    const KUBELET_DOCKER_LINES: [&str; 2] = [
        "I0330 03:57:57.839903    4625 kuberuntime_manager.go:210] Container runtime docker initialized, version: 18.09.3, apiVersion: 1.39.0",
        "I0330 04:06:47.714555    5750 docker_service.go:258] Docker Info: &{ID:TQ5X:T6PX:K2WX:LMX6:W44V:RPMB:DME6:AQJP:AMOD:45JW:HCD2:RCXA Containers:0 ContainersRunning:0 ContainersPaused:0 ContainersStopped:0 Images:5 Driver:overlay2 DriverStatus:[[Backing Filesystem extfs] [Supports d_type true] [Native Overlay Diff true]] SystemStatus:[] Plugins:{Volume:[local] Network:[bridge host macvlan null overlay] Authorization:[] Log:[awslogs fluentd gcplogs gelf journald json-file local logentries splunk syslog]} MemoryLimit:true SwapLimit:false KernelMemory:true CPUCfsPeriod:true CPUCfsQuota:true CPUShares:true CPUSet:true IPv4Forwarding:true BridgeNfIptables:true BridgeNfIP6tables:true Debug:false NFd:22 OomKillDisable:true NGoroutines:38 SystemTime:2019-03-30T04:06:47.697759333Z LoggingDriver:json-file CgroupDriver:cgroupfs NEventsListener:0 KernelVersion:4.4.0-1075-aws OperatingSystem:Ubuntu 16.04.5 LTS OSType:linux Architecture:x86_64 IndexServerAddress:https://index.docker.io/v1/ RegistryConfig:0xc0007a0620 NCPU:2 MemTotal:8369913856 GenericResources:[] DockerRootDir:/var/lib/docker HTTPProxy: HTTPSProxy: NoProxy: Name:nodea Labels:[] ExperimentalBuild:false ServerVersion:18.09.3 ClusterStore:",
    ];

    /// `rpm-ostree status` on an OpenShift 4.18 node where the booted (`*`)
    /// deployment is the second one,
    /// https://github.com/openshift/machine-config-operator/pull/4656.
    const RHCOS_RPM_OSTREE: &str = "State: idle
Deployments:
  ostree-unverified-registry:quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:57864105c9e7c669662415f395b0d6ef9b5ba1007bf2685ec041902d9cc33514
                   Digest: sha256:57864105c9e7c669662415f395b0d6ef9b5ba1007bf2685ec041902d9cc33514
                  Version: 418.94.202410211616-0 (2024-10-21T16:20:41Z)
                     Diff: 1 removed, 1 added
          LayeredPackages: cowsay

* ostree-unverified-registry:quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:57864105c9e7c669662415f395b0d6ef9b5ba1007bf2685ec041902d9cc33514
                   Digest: sha256:57864105c9e7c669662415f395b0d6ef9b5ba1007bf2685ec041902d9cc33514
                  Version: 418.94.202410211616-0 (2024-10-21T16:20:41Z)
            LocalPackages: zsh-5.8-9.el9.x86_64
";

    #[test]
    fn docker_info_text() {
        assert_eq!(
            pairs(&parse(CILIUM_DOCKER_INFO)),
            vec![
                ("docker", "18.03.1-ce", 6),
                ("kernel", "4.9.13-040913-generic", 27),
                ("os", "Ubuntu 17.10", 28)
            ]
        );
        assert_eq!(
            pairs(&parse(WINDOWS_DOCKER_INFO)),
            vec![
                ("docker", "20.10.12", 14),
                (
                    "kernel",
                    "10.0 22000 (22000.1.amd64fre.co_release.210604-1628)",
                    22
                ),
                ("os", "Windows 10 Pro Version 2009 (OS Build 22000.527)", 23)
            ]
        );
    }

    #[test]
    fn docker_info_struct_in_kubelet_logs() {
        assert_eq!(
            pairs(&parse(WINDOWS_DOCKER_STRUCT)),
            vec![
                ("docker", "18.09.5", 1),
                (
                    "kernel",
                    "10.0 17763 (17763.1.amd64fre.rs5_release.180914-1434)",
                    1
                ),
                (
                    "os",
                    "Windows Server Datacenter Version 1809 (OS Build 17763.437)",
                    1
                )
            ]
        );
        let v = |line: &str| from_log_line(line).map(|f| (f.component, f.version));
        let docker = Some(("docker".to_string(), "18.09.5".to_string()));
        assert_eq!(v(WINDOWS_DOCKER_STRUCT), docker);
        let docker = Some(("docker".to_string(), "18.09.3".to_string()));
        assert_eq!(v(KUBELET_DOCKER_LINES[0]), docker);
        assert_eq!(v(KUBELET_DOCKER_LINES[1]), docker);
        assert_eq!(
            pairs(&parse(KUBELET_DOCKER_LINES[1])),
            vec![
                ("docker", "18.09.3", 1),
                ("kernel", "4.4.0-1075-aws", 1),
                ("os", "Ubuntu 16.04.5 LTS", 1)
            ]
        );
        // Field names are matched whole: `XServerVersion:` is not `ServerVersion:`.
        assert_eq!(
            go_field("Docker Info: &{XServerVersion:1.0 }", "ServerVersion"),
            None
        );
    }

    #[test]
    fn rpm_ostree_booted_deployment() {
        assert_eq!(
            pairs(&parse(RHCOS_RPM_OSTREE)),
            vec![("os", "418.94.202410211616-0", 11)]
        );
        // Fedora CoreOS with `●` on the first deployment,
        // https://github.com/coreos/rpm-ostree/issues/2829.
        let fcos = "State: idle\nAutomaticUpdatesDriver: Zincati\n  DriverState: active; periodically polling for updates (last checked Sun 2021-05-16 21:07:38 UTC)\nDeployments:\n\u{25cf} ostree://fedora:fedora/x86_64/coreos/testing\n                   Version: 34.20210427.2.1 (2021-05-12T22:58:03Z)\n                BaseCommit: 518844c87b53985419e751481f379a0d808cd4693d93113150d06d9679f66103\n           LayeredPackages: nano\n\n  ostree://fedora:fedora/x86_64/coreos/testing\n                   Version: 34.20210427.2.1 (2021-05-12T22:58:03Z)\n";
        assert_eq!(pairs(&parse(fcos)), vec![("os", "34.20210427.2.1", 6)]);
        // The booted deployment first, the rollback after it, as the MCD logs
        // it (https://github.com/openshift/installer/pull/1459): only the
        // booted one's version.
        let pivot = "Deployments:\n* pivot://registry.svc.ci.openshift.org/ci-op-phzqnhlf/stable@sha256:bdecb0f98ba80d609b9606c0d21af8b4fce27aec8313cb5ba088243f1bc48c3c\n              CustomOrigin: Managed by pivot tool\n                   Version: 410.8.20190322.0 (2019-03-22T20:35:08Z)\n\n  pivot://docker-registry-default.cloud.registry.upshift.redhat.com/redhat-coreos/ootpa@sha256:84b54f4578bd04aa4e6fae2a7052a3b6df0bf5405dfbba1db44d59d282f3ee2f\n              CustomOrigin: Provisioned from oscontainer\n                   Version: 410.8.20190325.0 (2019-03-25T18:27:58Z)\n";
        assert_eq!(pairs(&parse(pivot)), vec![("os", "410.8.20190322.0", 4)]);
    }

    #[test]
    fn kernel_from_cmdline_and_osrelease() {
        // OKD/SCOS `/proc/cmdline`, https://github.com/okd-project/okd/issues/2170.
        let okd = "BOOT_IMAGE=(hd0,gpt3)/ostree/fedora-coreos-033af09885439f45398b1206431b06fa90b1146adc02981843ec82c3a1c52c32/vmlinuz-5.14.0-404.el9.x86_64 mitigations=auto,nosmt ignition.platform.id=qemu console=tty0 console=ttyS0,115200n8 ostree=/ostree/boot.1/fedora-coreos/033af09885439f45398b1206431b06fa90b1146adc02981843ec82c3a1c52c32/0 root=UUID=0036a531-d5e2-4a35-8467-e1b93802e879 rw rootflags=prjquota boot=UUID=891db868-e732-4a3d-96e8-e9b64d6bf4af systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all psi=1\n";
        assert_eq!(
            pairs(&parse(okd)),
            vec![("kernel", "5.14.0-404.el9.x86_64", 1)]
        );
        // A GKE Container-Optimized OS kernel as `uname -r` prints it (the
        // `kernelVersion: 6.1.100+` of a public GKE Autopilot Node YAML found
        // by code search; the index names no repository).
        assert_eq!(pairs(&parse("6.1.100+\n")), vec![("kernel", "6.1.100+", 1)]);
        // Same shape, not a kernel: SeaBIOS's bios_version. Accepted by
        // design; the caller excludes /sys/class/dmi by path.
        assert_eq!(
            pairs(&parse("1.14.0-1.module+el8.4.0+8855+a9e237a9\n")),
            vec![("kernel", "1.14.0-1.module+el8.4.0+8855+a9e237a9", 1)]
        );
        // Near-misses: a dotted pair, a release among other text, a cmdline
        // without a kernel image.
        assert!(parse("4.18\n").is_empty());
        assert!(parse("4.18.0-305.10.2.el8_4.x86_64\nmore text\n").is_empty());
        assert!(parse("console=tty0 root=UUID=0036a531 rw\n").is_empty());
    }

    #[test]
    fn node_description_is_not_a_version_artifact() {
        // `kubectl describe node`'s System Info has Kernel Version and
        // Operating System lines but none of docker info's companion keys.
        let describe = "System Info:\n  Kernel Version:             5.15.0-83-generic\n  OS Image:                   Ubuntu 22.04.3 LTS\n  Operating System:           linux\n  Container Runtime Version:  containerd://1.6.15-k3s1\n  Kubelet Version:            v1.25.6+k3s1\n";
        assert!(parse(describe).is_empty());
        // kubectl's own `Server Version:` stays Kubernetes.
        assert_eq!(
            pairs(&parse("Server Version: v1.29.4\n")),
            vec![("kubernetes", "1.29.4", 1)]
        );
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let alphabet: Vec<char> = "ab Z:/-()\t\n\u{e9}\"{}[],x".chars().collect();
        let tokens = [
            "Server Version: ",
            "v1.",
            "gitVersion: ",
            "[Runtime.Version]\n",
            "Semver = \"",
            "\n",
            "Linux ",
            " #",
            "containerd ",
            "version=",
            "kata",
            "\u{1F600}",
            "{",
            "\"",
            "Server Version: ",
            "Storage Driver:",
            "Kernel Version: ",
            "Deployments:\n",
            "* ",
            "  Version: ",
            "BOOT_IMAGE=",
            "/vmlinuz-",
            "Docker Info: &{",
            "ServerVersion:",
            " KernelVersion:",
        ];
        for (noise, salad) in noise_and_salad(0x1234_5678_9abc_def1, &alphabet, &tokens, 300, 80) {
            assert!(parse(&noise).is_empty(), "{noise:?}");
            assert!(
                noise.lines().all(|l| from_log_line(l).is_none()),
                "{noise:?}"
            );
            let _ = parse(&salad);
            let _ = salad.lines().map(from_log_line).count();
        }
    }
}
