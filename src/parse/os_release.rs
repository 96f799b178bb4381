//! Which distribution a node runs, from whichever release file the bundle kept.
//!
//! Accepted forms: `/etc/os-release` (the systemd `KEY=value` format),
//! `/etc/lsb-release` (`DISTRIB_*` keys), the one-line `/etc/redhat-release`
//! family, `lsb_release -a` output, and Rancher's `systeminfo/osrelease`,
//! which is `cat /etc/*release` and so several of these glued together. When
//! they disagree os-release wins, because it is the file the others are
//! derived from on every current distribution; the other forms only fill
//! fields it left empty.

use crate::facts::OsRelease;

/// Parse os-release (KEY="value" / KEY=value / KEY='value', comments, blank lines) — and, when the text is not KEY=VALUE, the one-line `/etc/redhat-release` form ("Red Hat Enterprise Linux Server release 7.9 (Maipo)", "CentOS Linux release 7.9.2009 (Core)", "Rocky Linux release 9.3 (Blue Onyx)") into pretty_name + id (rhel/centos/rocky/fedora) + version_id; and `lsb_release -a` output (`Distributor ID:\tUbuntu`, `Release:\t22.04`, `Description:\tUbuntu 22.04.4 LTS`). Rancher's `systeminfo/osrelease` is several release files concatenated: take the os-release keys when present.
pub fn parse(text: &str) -> OsRelease {
    let mut os = OsRelease::default();
    let mut lsb_file = OsRelease::default();
    let mut lsb_cmd = OsRelease::default();
    let mut release_line = OsRelease::default();

    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = key_value(line) {
            let slot = match key {
                "ID" => &mut os.id,
                "ID_LIKE" => &mut os.id_like,
                "VERSION_ID" => &mut os.version_id,
                "PRETTY_NAME" => &mut os.pretty_name,
                "DISTRIB_ID" => {
                    set_first(&mut lsb_file.id, Some(distributor_id(&value)));
                    continue;
                }
                "DISTRIB_RELEASE" => &mut lsb_file.version_id,
                "DISTRIB_DESCRIPTION" => &mut lsb_file.pretty_name,
                _ => continue,
            };
            set_first(slot, Some(value));
        } else if let Some((key, value)) = line.split_once(':') {
            let value = value.trim().to_string();
            match key.trim() {
                "Distributor ID" => set_first(&mut lsb_cmd.id, Some(distributor_id(&value))),
                "Release" => set_first(&mut lsb_cmd.version_id, Some(value)),
                "Description" => set_first(&mut lsb_cmd.pretty_name, Some(value)),
                _ => {}
            }
        } else if let Some(parsed) = release_line_fields(line) {
            if release_line.pretty_name.is_none() {
                release_line = parsed;
            }
        }
    }

    for fallback in [lsb_file, lsb_cmd, release_line] {
        set_first(&mut os.id, fallback.id);
        set_first(&mut os.id_like, fallback.id_like);
        set_first(&mut os.version_id, fallback.version_id);
        set_first(&mut os.pretty_name, fallback.pretty_name);
    }
    os
}

/// Keep the first value seen: in concatenated files the first os-release
/// block is the real one, and empty values say nothing.
fn set_first(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value.filter(|v| !v.is_empty());
    }
}

/// `KEY=value`, `KEY="value"` or `KEY='value'`, with shell-style escapes in
/// double quotes as os-release(5) allows. Keys are upper-case shell names.
fn key_value(line: &str) -> Option<(&str, String)> {
    let (key, raw) = line.split_once('=')?;
    let key = key.trim();
    let key_ok = key.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !key_ok {
        return None;
    }
    Some((key, unquote(raw.trim())))
}

fn unquote(raw: &str) -> String {
    let mut chars = raw.chars();
    match chars.next() {
        Some('"') => {
            let mut out = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some(next @ ('"' | '\\' | '$' | '`')) => out.push(next),
                        Some(other) => {
                            out.push('\\');
                            out.push(other);
                        }
                        None => out.push('\\'),
                    },
                    _ => out.push(c),
                }
            }
            out
        }
        Some('\'') => chars.take_while(|&c| c != '\'').collect(),
        // Unquoted values are single words; anything after a space is a comment or junk.
        _ => raw
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// `lsb_release` / `DISTRIB_ID` names mapped to os-release ids where they differ.
fn distributor_id(value: &str) -> String {
    let lower = value.trim().to_ascii_lowercase();
    if lower.starts_with("redhatenterprise") {
        "rhel".to_string()
    } else if lower.starts_with("centos") {
        "centos".to_string()
    } else if lower.starts_with("rocky") {
        "rocky".to_string()
    } else if lower.starts_with("opensuse") {
        "opensuse".to_string()
    } else {
        lower
    }
}

/// `<Name> release <version> [(<codename>)]`, as `/etc/redhat-release`,
/// `/etc/centos-release`, `/etc/rocky-release` and `/etc/fedora-release` print it.
fn release_line_fields(line: &str) -> Option<OsRelease> {
    let (name, rest) = line.split_once(" release ")?;
    let version = rest.split_whitespace().next()?;
    if name.trim().is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let id = [
        ("red hat enterprise linux", "rhel"),
        ("centos", "centos"),
        ("rocky", "rocky"),
        ("fedora", "fedora"),
        ("almalinux", "almalinux"),
        ("oracle linux", "ol"),
        ("scientific linux", "scientific"),
    ]
    .iter()
    .find(|(prefix, _)| lower.starts_with(prefix))
    .map(|(_, id)| id.to_string());
    Some(OsRelease {
        id,
        id_like: None,
        version_id: Some(version.to_string()),
        pretty_name: Some(line.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::garbage_inputs;

    /// Every prefix of a real sample, as a tail cut by sos would look.
    fn truncations(sample: &str) -> Vec<&str> {
        sample.char_indices().map(|(i, _)| &sample[..i]).collect()
    }

    fn os(
        id: &str,
        version: &str,
        pretty: &str,
    ) -> (Option<String>, Option<String>, Option<String>) {
        (Some(id.into()), Some(version.into()), Some(pretty.into()))
    }

    fn triple(o: &OsRelease) -> (Option<String>, Option<String>, Option<String>) {
        (o.id.clone(), o.version_id.clone(), o.pretty_name.clone())
    }

    #[test]
    fn centos_os_release() {
        let text = "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\nANSI_COLOR=\"0;31\"\n\nREDHAT_SUPPORT_PRODUCT_VERSION=\"7\"\n";
        let o = parse(text);
        assert_eq!(triple(&o), os("centos", "7", "CentOS Linux 7 (Core)"));
        assert_eq!(o.id_like.as_deref(), Some("rhel fedora"));
    }

    #[test]
    fn ubuntu_unquoted_and_single_quotes_and_comments() {
        let text = "# written by hand\r\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\r\nVERSION_ID='22.04'\r\nID=ubuntu\r\nID_LIKE=debian\r\n";
        let o = parse(text);
        assert_eq!(triple(&o), os("ubuntu", "22.04", "Ubuntu 22.04.4 LTS"));
        assert_eq!(o.id_like.as_deref(), Some("debian"));
        let esc = parse("PRETTY_NAME=\"say \\\"hi\\\" \\$HOME\"\n");
        assert_eq!(esc.pretty_name.as_deref(), Some("say \"hi\" $HOME"));
    }

    #[test]
    fn redhat_release_lines() {
        assert_eq!(
            triple(&parse(
                "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n"
            )),
            os(
                "rhel",
                "7.9",
                "Red Hat Enterprise Linux Server release 7.9 (Maipo)"
            )
        );
        assert_eq!(
            triple(&parse("CentOS Linux release 7.9.2009 (Core)")),
            os("centos", "7.9.2009", "CentOS Linux release 7.9.2009 (Core)")
        );
        assert_eq!(
            triple(&parse("Rocky Linux release 9.3 (Blue Onyx)\n")),
            os("rocky", "9.3", "Rocky Linux release 9.3 (Blue Onyx)")
        );
        assert_eq!(
            parse("Fedora release 39 (Thirty Nine)\n").id.as_deref(),
            Some("fedora")
        );
    }

    #[test]
    fn lsb_release_command() {
        let text = "No LSB modules are available.\nDistributor ID:\tUbuntu\nDescription:\tUbuntu 22.04.4 LTS\nRelease:\t22.04\nCodename:\tjammy\n";
        assert_eq!(
            triple(&parse(text)),
            os("ubuntu", "22.04", "Ubuntu 22.04.4 LTS")
        );
        let rhel = "LSB Version:\t:core-4.1-amd64\nDistributor ID:\tRedHatEnterpriseServer\nDescription:\tRed Hat Enterprise Linux Server release 7.9 (Maipo)\nRelease:\t7.9\n";
        assert_eq!(parse(rhel).id.as_deref(), Some("rhel"));
    }

    #[test]
    fn rancher_concatenated_release_files() {
        // `cat /etc/*release` on Ubuntu: lsb-release, then os-release.
        let ubuntu = "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.4 LTS\"\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";
        let o = parse(ubuntu);
        assert_eq!(triple(&o), os("ubuntu", "22.04", "Ubuntu 22.04.4 LTS"));
        // On CentOS: centos-release, os-release, redhat-release, system-release.
        let centos = "CentOS Linux release 7.9.2009 (Core)\nNAME=\"CentOS Linux\"\nID=\"centos\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\nCentOS Linux release 7.9.2009 (Core)\nCentOS Linux release 7.9.2009 (Core)\n";
        assert_eq!(
            triple(&parse(centos)),
            os("centos", "7", "CentOS Linux 7 (Core)")
        );
        // lsb-release alone still gives an answer.
        assert_eq!(
            triple(&parse("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_DESCRIPTION=\"Ubuntu 20.04.6 LTS\"\n")),
            os("ubuntu", "20.04", "Ubuntu 20.04.6 LTS")
        );
    }

    #[test]
    fn not_a_release_file() {
        assert_eq!(parse(""), OsRelease::default());
        assert_eq!(parse("../usr/lib/os-release"), OsRelease::default());
        assert_eq!(
            parse("I0203 10:11:12.123456 1234 kubelet.go:1] started"),
            OsRelease::default()
        );
        assert_eq!(parse("ID=\n").id, None);
    }

    #[test]
    fn garbage_never_panics() {
        let sample = "PRETTY_NAME=\"Ubuntu \\\"22.04\\\" LTS\"\nID='ubuntu'\nDistributor ID:\tUbuntu\nCentOS Linux release 7.9.2009 (Core)\n";
        let mut inputs = garbage_inputs();
        inputs.extend(truncations(sample).into_iter().map(str::to_string));
        for input in &inputs {
            let _ = parse(input);
        }
    }
}
