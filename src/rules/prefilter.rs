//! The literal prefilter: which lines of a block hold one of a kind's literals.
//!
//! aho-corasick's Teddy (its SIMD searcher, `reference/perf-limits.md` section 3)
//! finds candidate positions by the first four bytes of each pattern, then
//! compares the whole pattern. When those four bytes are a common word of the
//! text at hand (the `volu` of `volume node affinity conflict`, in a kubelet log
//! where most lines say `volume`), it stops to compare at almost every line and
//! runs at a third of its speed. So a prefilter can be *fitted* to a sample of
//! the text it is about to scan: each literal is then searched by the suffix
//! that starts at its rarest 4-byte window in the sample. A line that holds the
//! literal holds that suffix, and a suffix hit only counts once the bytes before
//! it complete the literal, so the lines reported are exactly those holding a
//! literal, whatever the sample: only the speed depends on it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// Patterns per automaton: above 64, aho-corasick gives up Teddy.
const SHARD: usize = 64;

/// Teddy's fingerprint: the first bytes of each pattern, at most four.
const WINDOW: usize = 4;

/// A line the prefilter hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub offset: usize,
    /// Only this probe's literals are on the line: no rule needs it.
    pub probe_only: Option<usize>,
    /// Found by a rule or probe literal (false: only as an error-like line).
    pub literal: bool,
}

/// A literal the prefilter stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    pub text: String,
    /// The one probe this literal leads to, when it leads to nothing else: a
    /// line holding only such literals is of no use to any rule.
    pub probe_only: Option<usize>,
}

/// A literal as one pattern of an automaton finds it.
#[derive(Debug)]
struct Completion {
    literal: Box<[u8]>,
    /// Where the pattern starts inside `literal`.
    at: usize,
    probe_only: Option<usize>,
}

#[derive(Debug)]
struct Shard {
    /// Leftmost-first: `MatchKind::Standard` has no Teddy.
    search: AhoCorasick,
    /// Per pattern, the literals it may be the tail of.
    completions: Vec<Vec<Completion>>,
}

/// The prefilter for one artifact kind.
#[derive(Debug, Default)]
pub struct Prefilter {
    shards: Vec<Shard>,
}

impl Prefilter {
    /// Search each literal by itself: for text that has not been seen yet.
    pub fn new(literals: &[Literal]) -> Prefilter {
        Prefilter::build(literals, |_| 0)
    }

    /// Search each literal by the suffix from its rarest 4-byte window in `sample`
    /// (ties go to the longest suffix).
    pub fn fitted(literals: &[Literal], sample: &[u8]) -> Prefilter {
        let counts = WindowCounts::new(
            literals
                .iter()
                .flat_map(|l| l.text.as_bytes().windows(WINDOW).map(key)),
            sample,
        );
        Prefilter::build(literals, |literal| {
            literal
                .windows(WINDOW)
                .enumerate()
                .min_by_key(|&(at, w)| (counts.get(key(w)), at))
                .map_or(0, |(at, _)| at)
        })
    }

    /// `choose` says where in each literal its pattern starts.
    fn build(literals: &[Literal], choose: impl Fn(&[u8]) -> usize) -> Prefilter {
        let mut tails: Vec<(&[u8], Completion)> = literals
            .iter()
            .map(|l| {
                let bytes = l.text.as_bytes();
                let at = choose(bytes).min(bytes.len());
                (
                    bytes.get(at..).unwrap_or_default(),
                    Completion {
                        literal: bytes.into(),
                        at,
                        probe_only: l.probe_only,
                    },
                )
            })
            .collect();
        tails.sort_by(|a, b| a.0.cmp(b.0));
        // A pattern that starts with another one joins it: the patterns are then
        // prefix-free, at most one matches at any position, and resuming one byte
        // after a hit that completes no literal cannot skip another literal.
        let mut patterns: Vec<(&[u8], Vec<Completion>)> = Vec::new();
        for (tail, completion) in tails {
            match patterns.last_mut() {
                Some((head, completions)) if tail.starts_with(head) => completions.push(completion),
                _ => patterns.push((tail, vec![completion])),
            }
        }
        let per_shard = patterns
            .len()
            .div_ceil(patterns.len().div_ceil(SHARD).max(1));
        let mut shards = Vec::new();
        let mut rest = patterns.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<(&[u8], Vec<Completion>)> = rest.by_ref().take(per_shard).collect();
            let heads: Vec<&[u8]> = chunk.iter().map(|(head, _)| *head).collect();
            // Teddy finds (and confirms) the matches whatever the automaton, so
            // the automaton is the one cheapest to build: a DFA took as long to
            // build as a megabyte takes to scan.
            let search = AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .match_kind(MatchKind::LeftmostFirst)
                .build(&heads);
            if let Ok(search) = search {
                shards.push(Shard {
                    search,
                    completions: chunk.into_iter().map(|(_, c)| c).collect(),
                });
            }
        }
        Prefilter { shards }
    }

    /// The lines of `block` that hold a literal: one candidate per line per
    /// shard, at the start of a literal, sorted by offset. A line whose only
    /// literals lead to one probe is marked with it, so the scanner can drop it
    /// cheaply (see `Candidate::probe_only`).
    pub fn hit_offsets(&self, block: &[u8], out: &mut Vec<Candidate>) {
        out.clear();
        for shard in &self.shards {
            let mut at = 0;
            while let Some(m) = shard.search.find(Input::new(block).span(at..block.len())) {
                let Some((start, mut probe_only)) = shard.complete(block, m) else {
                    at = m.start() + 1;
                    continue;
                };
                let rest = block.get(m.end()..).unwrap_or_default();
                let line_end = memchr::memchr(b'\n', rest).map_or(block.len(), |i| m.end() + i);
                // A probe literal first on the line must not hide a rule literal, or
                // another probe's literal, after it.
                let mut next = m.start() + 1;
                while probe_only.is_some() && next < line_end {
                    let Some(m2) = shard.search.find(Input::new(block).span(next..line_end)) else {
                        break;
                    };
                    if let Some((_, other)) = shard.complete(block, m2) {
                        if other != probe_only {
                            probe_only = None;
                        }
                    }
                    next = m2.start() + 1;
                }
                out.push(Candidate {
                    offset: start,
                    probe_only,
                    literal: true,
                });
                // One hit per line is all the scanner needs: resume on the next line.
                if line_end >= block.len() {
                    break;
                }
                at = line_end + 1;
            }
        }
        if self.shards.len() > 1 {
            out.sort_unstable_by_key(|c| (c.offset, c.probe_only.is_some()));
        }
    }
}

impl Shard {
    /// Where the earliest literal that this hit completes starts, and the probe
    /// all the completed literals lead to, if they lead to one probe only.
    fn complete(&self, block: &[u8], m: aho_corasick::Match) -> Option<(usize, Option<usize>)> {
        let mut found: Option<(usize, Option<usize>)> = None;
        for c in self.completions.get(m.pattern().as_usize())? {
            let Some(start) = m.start().checked_sub(c.at) else {
                continue;
            };
            if block.get(start..start + c.literal.len()) != Some(&c.literal[..]) {
                continue;
            }
            found = Some(match found {
                None => (start, c.probe_only),
                Some((s, p)) => (s.min(start), p.filter(|_| p == c.probe_only)),
            });
        }
        found
    }
}

/// A 4-byte window as one number.
fn key(window: &[u8]) -> u32 {
    <[u8; WINDOW]>::try_from(window).map_or(0, u32::from_le_bytes)
}

/// Bits of the bitmap that lets most sample positions skip the binary search.
const FILTER_BITS: u32 = 16;

/// How often each literal window occurs in a sample, counted exactly in one
/// pass: each of the sample's windows is looked up in a 64 Kibit bitmap first
/// (a few hundred literal windows fill about 1 % of it), and only on a set bit
/// in the sorted list of windows.
struct WindowCounts {
    keys: Vec<u32>,
    counts: Vec<u32>,
}

impl WindowCounts {
    fn new(windows: impl Iterator<Item = u32>, sample: &[u8]) -> WindowCounts {
        let mut keys: Vec<u32> = windows.collect();
        keys.sort_unstable();
        keys.dedup();
        let slot = |k: u32| (k.wrapping_mul(0x9E37_79B9) >> (32 - FILTER_BITS)) as usize;
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &k in &keys {
            let s = slot(k);
            if let Some(word) = filter.get_mut(s / 64) {
                *word |= 1 << (s % 64);
            }
        }
        let mut counts = vec![0u32; keys.len()];
        for w in sample.windows(WINDOW) {
            let k = key(w);
            let s = slot(k);
            if filter
                .get(s / 64)
                .is_some_and(|word| word >> (s % 64) & 1 == 1)
            {
                if let Ok(i) = keys.binary_search(&k) {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
        }
        WindowCounts { keys, counts }
    }

    fn get(&self, k: u32) -> u32 {
        self.keys
            .binary_search(&k)
            .ok()
            .and_then(|i| self.counts.get(i))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(texts: &[&str]) -> Vec<Literal> {
        texts
            .iter()
            .map(|t| Literal {
                text: t.to_string(),
                probe_only: None,
            })
            .collect()
    }

    fn lines_hit(p: &Prefilter, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        p.hit_offsets(text.as_bytes(), &mut out);
        out.iter().map(|c| c.offset).collect()
    }

    #[test]
    fn window_counts_are_exact() {
        let c = WindowCounts::new(
            [key(b"volu"), key(b"conf"), key(b"zzzz")].into_iter(),
            b"volume volume conflict volu",
        );
        assert_eq!(c.get(key(b"volu")), 3);
        assert_eq!(c.get(key(b"conf")), 1);
        assert_eq!(c.get(key(b"zzzz")), 0);
        assert_eq!(c.get(key(b"none")), 0);
    }

    #[test]
    fn a_fitted_literal_is_searched_from_a_window_the_sample_lacks() {
        let sample = "MountVolume started for volume \"data\"\n".repeat(100);
        let p = Prefilter::fitted(&lits(&["volume node affinity conflict"]), sample.as_bytes());
        let head = &p.shards[0].completions[0][0];
        assert_ne!(&head.literal[head.at..head.at + 4], b"volu");
        // ...and still reports the literal's start, on its line only.
        let text = format!("{sample}x: volume node affinity conflict\n");
        assert_eq!(lines_hit(&p, &text), vec![sample.len() + 3]);
    }

    #[test]
    fn a_suffix_hit_that_does_not_complete_its_literal_is_not_a_line() {
        let sample = "aaaa bbbb conflict ".repeat(50);
        let p = Prefilter::fitted(&lits(&["volume node affinity conflict"]), sample.as_bytes());
        // Every suffix of the literal, without its start, on lines of its own.
        let literal = "volume node affinity conflict";
        let near_misses: String = (1..literal.len())
            .map(|i| format!("x {}\n", &literal[i..]))
            .collect();
        assert_eq!(lines_hit(&p, &near_misses), Vec::<usize>::new());
    }

    #[test]
    fn fitted_and_plain_prefilters_report_the_same_lines() {
        let literals = lits(&[
            "volume node affinity conflict",
            "volume-subpaths",
            "node affinity",
            "MountVolume.SetUp failed",
            "SetUp failed",
            "Up failed for volume",
        ]);
        let text = "I volume node affinity conflict here\n\
                    volume-subpath volume-subpaths\n\
                    node affinit node affinity\n\
                    MountVolume.SetUp failed for volume \"x\"\n\
                    etUp failed\n\
                    nothing at all\n";
        let plain = Prefilter::new(&literals);
        let fitted = Prefilter::fitted(&literals, text.repeat(20).as_bytes());
        let line_of = |offsets: Vec<usize>| -> Vec<usize> {
            offsets
                .into_iter()
                .map(|o| text[..o].matches('\n').count())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        assert_eq!(line_of(lines_hit(&plain, text)), vec![0, 1, 2, 3]);
        assert_eq!(line_of(lines_hit(&fitted, text)), vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_probe_literal_first_on_a_line_does_not_hide_a_rule_literal() {
        let literals = vec![
            Literal {
                text: "SetUp succeeded for volume".into(),
                probe_only: Some(0),
            },
            Literal {
                text: "still referenced".into(),
                probe_only: None,
            },
        ];
        let text = "SetUp succeeded for volume \"a\"\n\
                    SetUp succeeded for volume \"b\" still referenced\n";
        for p in [
            Prefilter::new(&literals),
            Prefilter::fitted(&literals, text.as_bytes()),
        ] {
            let mut out = Vec::new();
            p.hit_offsets(text.as_bytes(), &mut out);
            let probes: Vec<Option<usize>> = out.iter().map(|c| c.probe_only).collect();
            assert_eq!(probes, vec![Some(0), None]);
        }
    }

    #[test]
    fn more_literals_than_a_shard_holds_are_all_found() {
        let texts: Vec<String> = (0..150)
            .map(|i| format!("literal number {i:03} here"))
            .collect();
        let literals: Vec<Literal> = texts
            .iter()
            .map(|t| Literal {
                text: t.clone(),
                probe_only: None,
            })
            .collect();
        let text: String = texts.iter().map(|t| format!("{t}\n")).collect();
        let p = Prefilter::fitted(&literals, text.as_bytes());
        assert!(p.shards.len() >= 3);
        assert!(p.shards.iter().all(|s| s.completions.len() <= SHARD));
        assert_eq!(lines_hit(&p, &text).len(), 150);
    }
}
