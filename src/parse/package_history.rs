//! Package manager logs: when a package was installed, upgraded or removed.
//!
//! A package list says what is installed now; the history says since when. A
//! failure that stopped when the missing package arrived is over, and a rule
//! should say so rather than call the package list a red herring. Formats:
//! pacman.log, dpkg.log, apt's history.log, yum.log and dnf(.rpm).log.

use crate::facts::{Action, PackageChange};
use crate::logline::{iso_time, syslog_time, Timestamp};

/// Every change the log records, in file order. Lines of other shapes
/// (scriptlet output, `status` noise, apt's `Commandline:`) are skipped.
pub fn parse(text: &str) -> Vec<PackageChange> {
    let mut out = Vec::new();
    // apt history.log: a `Start-Date:` opens a block whose lists share its time.
    let mut apt_time: Option<Timestamp> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let n = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
        if let Some(rest) = line.strip_prefix("Start-Date: ") {
            apt_time = iso_time(&rest.replacen("  ", " ", 1)).map(|(t, _)| t);
            continue;
        }
        if let Some(t) = apt_time {
            if apt_block(line, t, n, &mut out) {
                continue;
            }
        }
        if let Some(c) = pacman(line, n)
            .or_else(|| dpkg(line, n))
            .or_else(|| rpm_log(line, n))
        {
            out.push(c);
        }
    }
    out
}

/// `[2025-06-20T10:11:12+0000] [ALPM] upgraded util-linux (2.40.4-1 -> 2.41-3)`,
/// and the old `[2019-01-01 10:00] installed foo (1.0-1)` without seconds or `[ALPM]`.
fn pacman(line: &str, n: u64) -> Option<PackageChange> {
    let rest = line.strip_prefix('[')?;
    let (stamp, rest) = rest.split_once(']')?;
    let stamp = if stamp.len() == 16 {
        format!("{stamp}:00")
    } else {
        stamp.to_string()
    };
    let (time, _) = iso_time(&stamp)?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("[ALPM] ").unwrap_or(rest);
    let (verb, rest) = rest.split_once(' ')?;
    let action = match verb {
        "installed" => Action::Installed,
        "upgraded" => Action::Upgraded,
        "downgraded" => Action::Downgraded,
        "reinstalled" => Action::Reinstalled,
        "removed" => Action::Removed,
        _ => return None,
    };
    let (name, versions) = rest.split_once(" (")?;
    let versions = versions.strip_suffix(')')?;
    let (from, to) = match versions.split_once(" -> ") {
        Some((a, b)) => (Some(a.to_string()), Some(b.to_string())),
        None if action == Action::Removed => (Some(versions.to_string()), None),
        None => (None, Some(versions.to_string())),
    };
    Some(PackageChange {
        name: name.to_string(),
        action,
        from,
        to,
        time,
        line: n,
    })
}

/// `2024-06-03 13:11:47 install nfs-common:amd64 <none> 1:2.6.1-1ubuntu1.2`
/// (also `upgrade`, `remove`, `purge`); `status` and `configure` rows are the
/// same change seen again and are skipped.
fn dpkg(line: &str, n: u64) -> Option<PackageChange> {
    let (time, end) = iso_time(line)?;
    let mut words = line.get(end..)?.split_whitespace();
    let verb = words.next()?;
    let pkg = words.next()?;
    let old = words.next()?;
    let new = words.next()?;
    let version = |v: &str| (v != "<none>").then(|| v.to_string());
    let action = match verb {
        "install" if old == "<none>" => Action::Installed,
        "install" => Action::Reinstalled,
        "upgrade" => Action::Upgraded,
        "remove" | "purge" => Action::Removed,
        _ => return None,
    };
    Some(PackageChange {
        name: pkg.split(':').next().unwrap_or(pkg).to_string(),
        action,
        from: version(old),
        to: version(new),
        time,
        line: n,
    })
}

/// apt history.log lists: `Install: nfs-common:amd64 (1:2.6.1-1ubuntu1.2), keyutils:amd64 (1.6.1-2ubuntu3, automatic)`,
/// `Upgrade: libc6:amd64 (2.35-0ubuntu3.6, 2.35-0ubuntu3.7)`, `Remove:`/`Purge: x:amd64 (1.0)`.
/// Returns whether the line was one of them.
fn apt_block(line: &str, time: Timestamp, n: u64, out: &mut Vec<PackageChange>) -> bool {
    let Some((head, list)) = line.split_once(": ") else {
        return false;
    };
    let action = match head {
        "Install" => Action::Installed,
        "Reinstall" => Action::Reinstalled,
        "Upgrade" => Action::Upgraded,
        "Downgrade" => Action::Downgraded,
        "Remove" | "Purge" => Action::Removed,
        _ => return false,
    };
    // Entries are `name:arch (v1[, v2][, automatic])`, joined by `), `.
    for entry in list.split("), ") {
        let Some((pkg, versions)) = entry.split_once(" (") else {
            continue;
        };
        let versions: Vec<&str> = versions
            .trim_end_matches(')')
            .split(", ")
            .filter(|v| *v != "automatic")
            .collect();
        let first = versions.first().map(|v| v.to_string());
        let second = versions.get(1).map(|v| v.to_string());
        let (from, to) = match action {
            Action::Upgraded | Action::Downgraded => (first, second),
            Action::Removed => (first, None),
            _ => (None, first),
        };
        out.push(PackageChange {
            name: pkg.split(':').next().unwrap_or(pkg).trim().to_string(),
            action,
            from,
            to,
            time,
            line: n,
        });
    }
    true
}

/// yum.log `Jun 14 13:11:53 Installed: nfs-utils-1:1.3.0-0.68.el7.2.x86_64` and
/// dnf.rpm.log `2024-06-14T13:11:53+0000 SUBDEBUG Installed: nfs-utils-1:2.5.4-20.el9.x86_64`
/// (also `Updated:`/`Upgraded:`/`Upgrade:`, `Erased:`/`Erase:`, `Reinstalled:`, `Downgraded:`).
fn rpm_log(line: &str, n: u64) -> Option<PackageChange> {
    let (time, end) = syslog_time(line).or_else(|| iso_time(line))?;
    let rest = line.get(end..)?.trim_start();
    let rest = rest
        .strip_prefix("SUBDEBUG ")
        .or_else(|| rest.strip_prefix("INFO "))
        .unwrap_or(rest);
    let (verb, nevra) = rest.split_once(": ")?;
    let action = match verb {
        "Installed" | "Install" => Action::Installed,
        "Updated" | "Upgraded" | "Upgrade" => Action::Upgraded,
        "Downgraded" | "Downgrade" => Action::Downgraded,
        "Reinstalled" | "Reinstall" => Action::Reinstalled,
        "Erased" | "Erase" => Action::Removed,
        _ => return None,
    };
    let nevra = nevra.trim();
    // yum.log writes a non-zero epoch before the name (`1:nfs-utils-1.3.0-...`), dnf after it.
    let (epoch, nevra) = match nevra.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(e), rest)
        }
        _ => (None, nevra),
    };
    let (name, version) = split_nevra(nevra);
    // yum's `Erased: nfs-utils` names only the package.
    let version = match (epoch, version) {
        (Some(e), Some(v)) => Some(format!("{e}:{v}")),
        (_, v) => v.map(str::to_string),
    };
    let (from, to) = match action {
        Action::Removed => (version, None),
        _ => (None, version),
    };
    Some(PackageChange {
        name: name.to_string(),
        action,
        from,
        to,
        time,
        line: n,
    })
}

/// `nfs-utils-1:1.3.0-0.68.el7.2.x86_64` -> (`nfs-utils`, `1:1.3.0-0.68.el7.2`).
fn split_nevra(nevra: &str) -> (&str, Option<&str>) {
    let arches = [
        ".x86_64", ".noarch", ".aarch64", ".i686", ".ppc64le", ".s390x",
    ];
    let nevr = arches
        .iter()
        .find_map(|a| nevra.strip_suffix(a))
        .unwrap_or(nevra);
    // name-version-release: the name ends at the second dash from the right.
    let mut dashes = nevr.rmatch_indices('-').map(|(i, _)| i);
    match (dashes.next(), dashes.next()) {
        (Some(_), Some(name_end)) => (
            nevr.get(..name_end).unwrap_or(nevr),
            nevr.get(name_end + 1..),
        ),
        _ => (nevr, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> PackageChange {
        let mut v = parse(line);
        assert_eq!(v.len(), 1, "{line}: {v:?}");
        v.remove(0)
    }

    #[test]
    fn pacman_log_new_and_old_forms() {
        // Arch forum threads on the util-linux 2.41 subPath regression quote this line.
        let c = one("[2025-06-20T10:11:12+0000] [ALPM] upgraded util-linux (2.40.4-1 -> 2.41-3)");
        assert_eq!(
            (
                c.name.as_str(),
                c.action,
                c.from.as_deref(),
                c.to.as_deref()
            ),
            (
                "util-linux",
                Action::Upgraded,
                Some("2.40.4-1"),
                Some("2.41-3")
            )
        );
        assert_eq!(c.time.year, Some(2025));
        let c = one("[2019-01-01 10:00] [ALPM] installed nfs-utils (2.3.3-1)");
        assert_eq!(
            (c.action, c.to.as_deref()),
            (Action::Installed, Some("2.3.3-1"))
        );
        assert_eq!((c.time.hour, c.time.minute), (10, 0));
        let c = one("[2013-03-10 09:11] removed rpcbind (0.2.0-6)");
        assert_eq!(
            (c.action, c.from.as_deref(), c.to),
            (Action::Removed, Some("0.2.0-6"), None)
        );
        // Hook and transaction lines are not package changes.
        assert!(parse("[2025-06-20T10:11:12+0000] [ALPM] running '30-systemd-update.hook'...\n[2025-06-20T10:11:10+0000] [ALPM] transaction started\n[2025-06-20T10:11:09+0000] [PACMAN] Running 'pacman -Syu'\n").is_empty());
    }

    #[test]
    fn dpkg_log_counts_install_upgrade_remove_once_each() {
        let log = "2024-06-03 13:11:47 startup archives unpack\n\
2024-06-03 13:11:47 install nfs-common:amd64 <none> 1:2.6.1-1ubuntu1.2\n\
2024-06-03 13:11:47 status half-installed nfs-common:amd64 1:2.6.1-1ubuntu1.2\n\
2024-06-03 13:11:50 configure nfs-common:amd64 1:2.6.1-1ubuntu1.2 <none>\n\
2024-06-03 13:11:50 status installed nfs-common:amd64 1:2.6.1-1ubuntu1.2\n\
2024-06-04 08:00:01 upgrade util-linux:amd64 2.37.2-4ubuntu3 2.37.2-4ubuntu3.4\n\
2024-06-05 08:00:01 remove rpcbind:amd64 1.2.6-2build1 <none>\n";
        let v = parse(log);
        let summary: Vec<(&str, Action, u64)> = v
            .iter()
            .map(|c| (c.name.as_str(), c.action, c.line))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("nfs-common", Action::Installed, 2),
                ("util-linux", Action::Upgraded, 6),
                ("rpcbind", Action::Removed, 7)
            ]
        );
        assert_eq!(v[0].to.as_deref(), Some("1:2.6.1-1ubuntu1.2"));
        assert_eq!(v[1].from.as_deref(), Some("2.37.2-4ubuntu3"));
    }

    #[test]
    fn apt_history_blocks_share_their_start_date() {
        let log = "\nStart-Date: 2024-06-03  13:11:40\nCommandline: apt-get install -y nfs-common\nRequested-By: ubuntu (1000)\n\
Install: keyutils:amd64 (1.6.1-2ubuntu3, automatic), nfs-common:amd64 (1:2.6.1-1ubuntu1.2), rpcbind:amd64 (1.2.6-2build1, automatic)\n\
Upgrade: libc6:amd64 (2.35-0ubuntu3.6, 2.35-0ubuntu3.7)\nEnd-Date: 2024-06-03  13:11:53\n";
        let v = parse(log);
        let names: Vec<&str> = v.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["keyutils", "nfs-common", "rpcbind", "libc6"]);
        assert_eq!(v[1].to.as_deref(), Some("1:2.6.1-1ubuntu1.2"));
        assert_eq!(v[1].action, Action::Installed);
        assert_eq!(
            (v[1].time.hour, v[1].time.minute, v[1].time.second),
            (13, 11, 40)
        );
        assert_eq!(v[3].from.as_deref(), Some("2.35-0ubuntu3.6"));
        assert_eq!(v[3].line, 6);
    }

    #[test]
    fn yum_and_dnf_logs() {
        // yum.log puts a non-zero epoch before the name.
        let c = one("Jun 14 13:11:53 Installed: 1:nfs-utils-1.3.0-0.68.el7.2.x86_64");
        assert_eq!(
            (c.name.as_str(), c.to.as_deref()),
            ("nfs-utils", Some("1:1.3.0-0.68.el7.2"))
        );
        let c = one("Jun 14 13:11:53 Installed: nfs-utils-1:1.3.0-0.68.el7.2.x86_64");
        assert_eq!(
            (c.name.as_str(), c.to.as_deref(), c.time.year),
            ("nfs-utils", Some("1:1.3.0-0.68.el7.2"), None)
        );
        let c = one("Jun 14 13:20:01 Erased: nfs-utils");
        assert_eq!(
            (c.name.as_str(), c.action, c.from),
            ("nfs-utils", Action::Removed, None)
        );
        let c = one("2024-06-14T13:11:53+0000 SUBDEBUG Upgraded: util-linux-2.37.4-18.el9.x86_64");
        assert_eq!(
            (c.name.as_str(), c.action, c.to.as_deref(), c.time.year),
            (
                "util-linux",
                Action::Upgraded,
                Some("2.37.4-18.el9"),
                Some(2024)
            )
        );
    }

    #[test]
    fn near_misses_are_not_changes() {
        for line in [
            "2024-06-03 13:11:47 status installed nfs-common:amd64 1:2.6.1-1ubuntu1.2",
            "2024-06-03 13:11:47 trigproc man-db:amd64 2.10.2-1 <none>",
            "Jun 14 13:11:53 node kubelet[1]: Installed: nothing",
            "Commandline: apt install nfs-common",
            "[2025-06-20T10:11:12+0000] [ALPM-SCRIPTLET] installed fonts",
            "",
        ] {
            assert!(parse(line).is_empty(), "{line}");
        }
    }
}
