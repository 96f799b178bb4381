//! Redaction of what a report quotes from a bundle. Reports are attached to
//! tickets and forwarded, so secrets that happen to sit in a log line must not
//! travel with them. Redaction runs on the finished Report, after matching:
//! it can never change which rules match.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

use super::model::Report;

/// What to mask.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub enabled: bool,
    /// Also mask IPv4 addresses (off by default: node and server IPs are often the evidence).
    pub ips: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            enabled: true,
            ips: false,
        }
    }
}

/// (kind, pattern, group to mask: 0 = the whole match). Order matters: a
/// private key block is masked before its lines could look like key=value.
fn patterns() -> &'static [(&'static str, Regex, usize)] {
    static P: OnceLock<Vec<(&'static str, Regex, usize)>> = OnceLock::new();
    P.get_or_init(|| {
        let defs: &[(&str, &str, usize)] = &[
            ("private-key", r"(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", 0),
            ("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", 0),
            ("bearer-token", r"(?i)\b(?:bearer|token)\s+([A-Za-z0-9._~+=-][A-Za-z0-9._~+/=-]{15,})", 1),
            ("kubeconfig-data", r"(?i)\b(?:client-key-data|client-certificate-data|certificate-authority-data|token)\s*:\s*([A-Za-z0-9+/=._-]{16,})", 1),
            ("cloud-key", r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b", 1),
            ("cloud-key", r"(?i)\b(?:aws_secret_access_key|azure_client_secret|accountkey)\s*[=:]\s*([A-Za-z0-9/+=]{20,})", 1),
            ("url-credentials", r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^@\s/]+)@", 1),
            // The key opens a field: not a Go type's name (`*v1.Secret: secrets "x" is forbidden`).
            ("secret", r#"(?i)(?:^|[\s"'{(,;])(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|client[_-]?secret)\s*[=:]\s*"?([^\s",;&]{3,})"#, 1),
        ];
        defs.iter()
            .filter_map(|(kind, re, group)| Regex::new(re).ok().map(|r| (*kind, r, *group)))
            .collect()
    })
}

fn ip_pattern() -> Option<&'static Regex> {
    static P: OnceLock<Option<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b").ok()
    })
    .as_ref()
}

/// Mask secrets in one text; counts go into `counts` by kind.
pub fn redact_text(text: &str, policy: Policy, counts: &mut BTreeMap<String, u64>) -> String {
    if !policy.enabled {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (kind, re, group) in patterns() {
        if !re.is_match(&out) {
            continue;
        }
        let mut n = 0u64;
        let replaced = re.replace_all(&out, |caps: &regex::Captures<'_>| {
            let whole = caps.get(0).map_or("", |m| m.as_str());
            match caps.get(*group) {
                Some(secret) if *group > 0 => {
                    n += 1;
                    let start = secret.start() - caps.get(0).map_or(0, |m| m.start());
                    let end = start + secret.as_str().len();
                    format!(
                        "{}[REDACTED:{kind}]{}",
                        whole.get(..start).unwrap_or(""),
                        whole.get(end..).unwrap_or("")
                    )
                }
                _ => {
                    n += 1;
                    format!("[REDACTED:{kind}]")
                }
            }
        });
        out = replaced.into_owned();
        if n > 0 {
            *counts.entry((*kind).to_string()).or_default() += n;
        }
    }
    if policy.ips {
        if let Some(re) = ip_pattern() {
            let n = re.find_iter(&out).count() as u64;
            if n > 0 {
                out = re.replace_all(&out, "[REDACTED:ip]").into_owned();
                *counts.entry("ip".to_string()).or_default() += n;
            }
        }
    }
    out
}

/// Redact every text the report quotes from the bundle, and record the counts.
pub fn redact_report(report: &mut Report, policy: Policy) {
    let mut counts = BTreeMap::new();
    let mut fix = |s: &mut String| *s = redact_text(s, policy, &mut counts);
    for f in &mut report.findings {
        for e in &mut f.evidence {
            fix(&mut e.text);
            fix(&mut e.excerpt);
            fix(&mut e.matched);
        }
        for c in &mut f.conditions {
            fix(&mut c.detail);
        }
        fix(&mut f.fix.summary);
        for s in &mut f.fix.steps {
            fix(s);
        }
    }
    for r in report
        .ruled_out
        .iter_mut()
        .chain(report.resolved.iter_mut())
    {
        fix(&mut r.reason);
        for c in &mut r.cleared_by {
            fix(&mut c.what);
        }
        for e in &mut r.evidence {
            fix(&mut e.text);
            fix(&mut e.excerpt);
            fix(&mut e.matched);
        }
    }
    for u in &mut report.unrecognized {
        fix(&mut u.template);
        fix(&mut u.example.text);
        fix(&mut u.example.excerpt);
    }
    report.redactions = counts;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> (String, BTreeMap<String, u64>) {
        let mut c = BTreeMap::new();
        let out = redact_text(text, Policy::default(), &mut c);
        (out, c)
    }

    #[test]
    fn secrets_in_log_lines_are_masked_and_counted() {
        let (out, c) = r(
            r#"E0101 00:00:00.1 1 x.go:1] "Failed to pull" err="Get https://registry.example.com/v2/: unauthorized" password=hunter2 url=https://admin:s3cr3tP4ss@db.example.com:5432/app"#,
        );
        assert!(
            !out.contains("hunter2") && !out.contains("s3cr3tP4ss"),
            "{out}"
        );
        assert_eq!(c.get("secret"), Some(&1));
        assert_eq!(c.get("url-credentials"), Some(&1));
        assert!(
            out.contains("registry.example.com"),
            "URLs without credentials stay: {out}"
        );
    }

    #[test]
    fn tokens_keys_and_kubeconfig_data() {
        let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
        let (out, c) = r(&format!("Authorization: Bearer {jwt}\nclient-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==\nAKIAIOSFODNN7EXAMPLE"));
        assert!(
            !out.contains(jwt)
                && !out.contains("LS0tLS1CRUdJTiBSU0Eg")
                && !out.contains("AKIAIOSFODNN7EXAMPLE"),
            "{out}"
        );
        assert!(c.values().sum::<u64>() >= 3, "{c:?}");
        let (out, _) =
            r("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----");
        assert_eq!(out, "[REDACTED:private-key]");
    }

    #[test]
    fn ordinary_failure_text_is_left_alone() {
        let line = "MountVolume.SetUp failed for volume \"reports-archive\" : mount failed: exit status 32\nMounting arguments: -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/reports-archive";
        let (out, c) = r(line);
        assert_eq!(out, line);
        assert!(c.is_empty());
    }

    /// A Windows kubelet 1.17 line (shared/real-bundles, windows-kubelet-e2e,
    /// kubelet.log:1782): `Secret:` is a Go type's name and `secrets` a word.
    #[test]
    fn a_secret_type_and_the_word_secrets_are_not_secrets() {
        let line = r#"E0820 20:41:02.661472    3312 reflector.go:125] object-"gcp-filestore-csi-driver"/"gcp-filestore-csi-node-sa-token-s8jn8": Failed to list *v1.Secret: secrets "gcp-filestore-csi-node-sa-token-s8jn8" is forbidden: User "system:node:e2e-test-ramosalex-windows-node-group-tz6r" cannot list resource "secrets""#;
        let (out, c) = r(line);
        assert_eq!(out, line);
        assert!(c.is_empty());
        // A secret in a field still is one.
        let (out, _) = r("connecting with secret=hunter2x and password: \"s3cr3t!\"");
        assert!(
            !out.contains("hunter2x") && !out.contains("s3cr3t"),
            "{out}"
        );
    }

    #[test]
    fn ips_only_when_asked_and_nothing_when_off() {
        let mut c = BTreeMap::new();
        let out = redact_text(
            "server 10.1.2.3 refused",
            Policy {
                enabled: true,
                ips: true,
            },
            &mut c,
        );
        assert_eq!(out, "server [REDACTED:ip] refused");
        let out = redact_text(
            "password=x123",
            Policy {
                enabled: false,
                ips: true,
            },
            &mut c,
        );
        assert_eq!(out, "password=x123");
    }
}
