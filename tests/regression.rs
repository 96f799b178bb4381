//! One test per bug that was found and fixed, named after the bug and saying
//! which change fixed it, so that it stays fixed (the way ripgrep's
//! `tests/regression.rs` works). Each runs the library's public API on the
//! smallest real-looking input that showed the bug.

use podmortem::facts::ArtifactKind;
use podmortem::ingest::Chunk;
use podmortem::rules::load::{builtin_sources, load, RulePack};
use podmortem::rules::matcher::Matcher;
use podmortem::scan::{scan_text, Scanner};
use podmortem::unrecognized::{message_of, Clusterer, Occurrence, Place};

fn builtin() -> (RulePack, Matcher) {
    let pack = load(&builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let matcher = Matcher::new(&pack);
    (pack, matcher)
}

/// 9625ce0: the tail kept for the next block can start before the last
/// counted record, and line numbers after a block boundary were too high.
#[test]
fn line_numbers_survive_any_block_boundaries() {
    let (pack, matcher) = builtin();
    let failure = "E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs 10.1.2.3:/export /var/lib/kubelet/pods/0b0c0d0e-0000-4000-8000-000000000001/volumes/kubernetes.io~nfs/data\nOutput: mount: /var/lib/kubelet/pods/0b0c0d0e-0000-4000-8000-000000000001/volumes/kubernetes.io~nfs/data: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n";
    let mut text = String::new();
    for i in 0..3000u64 {
        if i % 700 == 350 {
            text.push_str(failure);
        } else {
            // A word of letters per line: every error record is a template of
            // its own, so the tally keeps each one's line.
            let word: String = [i / 676, i / 26 % 26, i % 26]
                .iter()
                .map(|&d| char::from(b'a' + d as u8))
                .collect();
            text.push_str(&format!("E0418 08:42:40.{i:06}    1187 dns.go:153] \"Nameserver limits exceeded\" err=\"zone {word}\"\n"));
        }
    }
    let numbered = |needle: &str| -> Vec<u64> {
        (1u64..)
            .zip(text.lines())
            .filter(|(_, l)| l.contains(needle))
            .map(|(n, _)| n)
            .collect()
    };
    let want = numbered("Mount failed");
    let want_errors = numbered("Nameserver");
    for block_lines in [5000usize, 1, 7, 64, 333] {
        let mut sc = Scanner::new(&pack, &matcher);
        sc.feed(Chunk::Start {
            path: "n/kubelet.log".into(),
            bytes: None,
        });
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for chunk in lines.chunks(block_lines) {
            sc.feed(Chunk::Block(chunk.concat().into_bytes()));
        }
        sc.feed(Chunk::End {
            read: text.len() as u64,
        });
        let (obs, tally) = sc.finish();
        let mut got: Vec<u64> = obs.hits.iter().map(|h| h.record.first_line).collect();
        got.sort_unstable();
        got.dedup();
        assert_eq!(got, want, "blocks of {block_lines} lines");
        assert_eq!(
            tally.example_lines(),
            want_errors,
            "blocks of {block_lines} lines; {} errors",
            tally.records()
        );
    }
}

/// 0cf1fb6: error records the scan only copies are finished on another thread
/// from their raw lines; their examples kept the `\r` of a CRLF log until they
/// were stripped there as they are when the scan builds a record.
#[test]
fn crlf_error_examples_have_no_carriage_returns() {
    let (pack, matcher) = builtin();
    let text = "I0418 08:42:39.000001    1187 server.go:1] Started\r\n\
        E0418 08:42:39.000002    1187 gc.go:7] \"Quota scan failed\" err=\"disk /dev/sdb1 busy\"\r\n\
        E0418 08:42:39.000003    1187 plugin.go:9] Plugin crashed:\r\n\
        goroutine 1 [running]:\r\n\
        main.main()\r\n";
    let (_, tally) = scan_text(&pack, &matcher, "n/kubelet.log", text);
    let mut clusterer = Clusterer::new(100);
    clusterer.add_tally(&tally, |_, _| {
        Some(Place {
            artifact: "n/kubelet.log",
            node: None,
            year: None,
        })
    });
    let mut examples: Vec<(u64, String)> = clusterer
        .finish(100)
        .into_iter()
        .map(|c| (c.example_line, c.example_text))
        .collect();
    examples.sort();
    assert_eq!(
        examples,
        [
            (2, "E0418 08:42:39.000002    1187 gc.go:7] \"Quota scan failed\" err=\"disk /dev/sdb1 busy\"".to_string()),
            (3, "E0418 08:42:39.000003    1187 plugin.go:9] Plugin crashed:\ngoroutine 1 [running]:\nmain.main()".to_string()),
        ]
    );
}

/// 49407b2: a file's first line was always an error candidate (no newline
/// before it for the `\nE0`-style literals to find), so a plain line with an
/// error word was tallied there and nowhere else in the file.
#[test]
fn a_first_line_is_an_error_candidate_like_any_other() {
    let (pack, matcher) = builtin();
    let plain = "backup job failed: disk quota exceeded\n\
        backup job started\n\
        backup job failed: disk quota exceeded\n";
    let (_, tally) = scan_text(&pack, &matcher, "n/backup.log", plain);
    assert_eq!(tally.records(), 0, "no error literal is on these lines");
    // A klog error line still counts where it opens the file, as on line 3.
    let klog = "E0418 08:42:39.000002    1187 gc.go:7] \"Quota scan failed\" err=\"disk busy\"\n\
        I0418 08:42:39.000003    1187 gc.go:9] \"Quota scan done\"\n\
        E0418 08:42:40.000002    1187 gc.go:7] \"Quota scan failed\" err=\"disk busy\"\n";
    let (_, tally) = scan_text(&pack, &matcher, "n/kubelet.log", klog);
    assert_eq!(tally.example_lines(), [1]);
    assert_eq!(tally.records(), 2);
    let (_, tally) = scan_text(&pack, &matcher, "n/kubelet.log", &format!("\u{feff}{klog}"));
    assert_eq!(tally.records(), 2, "after a byte-order mark too");
}

/// 36230f4: the bench bundle's CrashLoopBackOff lines were 25 templates, one
/// per namespace and StatefulSet pod, because kubelet's `pod=name_namespace(uid)`
/// (`format.Pod`) was templated as a pod name with `_namespace(` stuck to it.
#[test]
fn crash_loops_in_many_namespaces_are_one_cluster() {
    let pods = [
        "web-7d9f8b6c4d-x2k9p",
        "kafka-0",
        "db-12",
        "fluent-bit-zx7q2",
    ];
    let namespaces = ["shop", "kube-system", "cert-manager", "payments", "ci"];
    let lines: Vec<String> = (0..30usize)
        .map(|i| {
            let pod = pods[i % pods.len()];
            let ns = namespaces[i % namespaces.len()];
            let uid = format!("{:08x}-4d1f-4916-8c33-{:012x}", i * 7919, i * 104_729);
            // kubelet 1.29's `pod_workers.go` line for a crash-looping container.
            format!(
                r#"E0314 06:10:06.113000    3231 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"app\" with CrashLoopBackOff: \"back-off 5m0s restarting failed container=app pod={pod}_{ns}({uid})\"" pod="{ns}/{pod}" podUID="{uid}""#
            )
        })
        .collect();
    let mut c = Clusterer::new(1000);
    for (i, line) in lines.iter().enumerate() {
        let (level, msg) = message_of(ArtifactKind::KubeletLog, line).expect("an error line");
        c.add(
            level,
            &msg,
            Occurrence {
                artifact: "n/kubelet.log",
                line: i as u64 + 1,
                text: line,
                timestamp: None,
                until: None,
                count: 1,
                node: Some("node-1"),
                pod: None,
            },
        );
    }
    let out = c.finish(20);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].count, 30);
    assert!(
        out[0].template.ends_with(r#"container=app pod=<pod>""#),
        "{out:#?}"
    );
}

/// This change: a klog file's year came only from a `Docker Info` line that
/// happened to carry a date; without one, the year of `Log file created at:
/// 2019/08/20` (klog's own header, `2006/01/02 15:04:05`) was not read and
/// every time in the file lacked its year.
#[test]
fn klog_header_gives_the_year() {
    let (pack, matcher) = builtin();
    let text = "Log file created at: 2019/08/20 20:28:26\n\
        Running on machine: win-node-tz6r\n\
        Binary: Built with gc go1.12.9 for windows/amd64\n\
        Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n\
        E0820 20:28:28.286721    3312 server.go:1] Error checking iptables version\n";
    let (obs, _) = scan_text(&pack, &matcher, "win-node-tz6r/kubelet.log", text);
    assert_eq!(obs.artifacts.first().and_then(|a| a.year), Some(2019));
}
