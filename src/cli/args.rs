//! The flags: clap's view of the command line (its doc comments are the
//! help text), their parsers (sizes, shards, formats), and the analysis
//! options they set.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use podmortem::facts::Severity;
use podmortem::report::redact::Policy;
use podmortem::report::render::Format;
use podmortem::Options;

#[derive(Parser)]
#[command(
    name = "podmortem",
    version,
    about = "Offline analyzer for Kubernetes support bundles"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Analyze bundles (archives, extracted directories, or folders of bundles) and write reports.
    Analyze(AnalyzeArgs),
    /// Merge the summaries of several output folders (shards) into one index.
    Index {
        /// Output folders of earlier `analyze` runs (each holds summary.json).
        #[arg(required = true)]
        outs: Vec<PathBuf>,
        /// Where the merged index.html, summary.json and summary.csv go.
        #[arg(short, long, default_value = "podmortem-index")]
        output: PathBuf,
    },
    /// Inspect and check rule packs.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
        /// Extra rule directories.
        #[arg(long = "rules", global = true)]
        rules: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
pub struct AnalyzeArgs {
    /// Bundle archives, extracted bundle directories, or folders of bundles.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output directory (one sub-directory per bundle), or `-` for one report on standard output.
    #[arg(short, long, default_value = "podmortem-report")]
    pub output: String,
    /// Comma-separated formats: html, md, json.
    #[arg(long, default_value = "html,md,json")]
    pub format: String,
    /// Extra rule directories; a rule with a built-in id replaces it.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
    /// Exit with 1 when a finding has at least this severity.
    #[arg(long = "fail-on", value_enum)]
    pub fail_on: Option<SeverityArg>,
    /// Only these rules (ids or categories, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Skip these rules (ids or categories, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Quote evidence as it is, without masking secrets.
    #[arg(long)]
    pub no_redact: bool,
    /// Also mask IPv4 addresses in quoted evidence.
    #[arg(long)]
    pub redact_ip: bool,
    /// Do not cluster the errors no rule explains (the `unrecognized` list stays empty).
    #[arg(long)]
    pub no_unrecognized: bool,
    /// Bundles analyzed at once (0: one per core). With 1, each bundle is also
    /// read and scanned on one thread, so the run uses about one core.
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// Analyze only the bundles of shard K of N (0-based K; stable hash of the bundle name).
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Re-analyze bundles whose last report matches their content and the rule pack.
    #[arg(long)]
    pub force: bool,
    /// No progress lines on standard error.
    #[arg(long, short)]
    pub quiet: bool,
    /// Read at most this much of one entry, decompressed (default 4GiB); the rest is skipped with a warning.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_entry_size: Option<u64>,
    /// Stop reading a bundle after this much decompressed data (default 32GiB): a gzip bomb ends here.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_total_size: Option<u64>,
    /// Cut longer lines into pieces of this size (default 1MiB); the rest of the file is still read.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_line_size: Option<u64>,
    /// Archives nested in archives, the input counting as 1 (default 5).
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// Entries read from one bundle (default 1000000).
    #[arg(long, value_name = "N")]
    pub max_entries: Option<u64>,
}

/// `512`, `64K`, `1MiB`, `4G`, `32GiB`: binary multiples, as the defaults are stated.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (examples: 512, 64K, 1MiB, 4GiB)"))?;
    let shift = match unit
        .trim()
        .to_ascii_lowercase()
        .trim_end_matches("ib")
        .trim_end_matches('b')
    {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (use K, M, G or T)")),
    };
    n.checked_mul(1u64 << shift)
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("`{s}` must be between 1 byte and 16 EiB"))
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or("write the shard as K/N, e.g. 2/8")?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("shard index `{k}` is not a number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("shard count `{n}` is not a number"))?;
    if n == 0 || k >= n {
        return Err(format!("shard {k}/{n}: K must be in 0..N"));
    }
    Ok((k, n))
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// List the rules.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Show one rule: its file, signals, examples and references.
    Show { id: String },
    /// Run every rule's examples; non-zero exit on any failure.
    Test {
        /// Extra rule files or directories to check with the built-in pack.
        paths: Vec<PathBuf>,
    },
    /// Write a rule for a failure no rule knows: from a report's unrecognized template, or one line.
    New {
        /// A JSON report of `podmortem analyze`.
        #[arg(long, requires = "template", conflicts_with = "from_line")]
        from_report: Option<PathBuf>,
        /// 1-based position in the report's `unrecognized` list.
        #[arg(long)]
        template: Option<usize>,
        /// One log line (or record) as it appears in the artifact.
        #[arg(long)]
        from_line: Option<String>,
        /// The artifact kind the line comes from (with --from-line).
        #[arg(long, default_value = "kubelet-log")]
        kind: String,
        /// The new rule's id (default: from the template's first words).
        #[arg(long)]
        id: Option<String>,
        /// Write the rule file here instead of standard output; into a directory, as `<id>.toml`.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Check rule files strictly; every problem is reported at once, with file, line and code.
    Lint {
        /// Extra rule files or directories to check with the built-in pack.
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Table,
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

/// `--only` / `--skip`: rule ids or categories.
pub struct Selection {
    pub only: Vec<String>,
    pub skip: Vec<String>,
}

impl Selection {
    pub fn keeps(&self, id: &str, category: &str) -> bool {
        let named = |list: &[String]| list.iter().any(|x| x == id || x == category);
        (self.only.is_empty() || named(&self.only)) && !named(&self.skip)
    }
}

pub fn parse_formats(s: &str) -> Result<Vec<Format>, String> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        match Format::parse(part) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => {}
            None => return Err(format!("unknown format `{part}`: use html, md or json")),
        }
    }
    if out.is_empty() {
        return Err("no output format given".into());
    }
    Ok(out)
}

/// The analysis options the flags set.
pub fn options(args: &AnalyzeArgs) -> Options {
    let mut options = Options {
        redaction: Policy {
            enabled: !args.no_redact,
            ips: args.redact_ip,
        },
        unrecognized: !args.no_unrecognized,
        ..Options::default()
    };
    let limits = &mut options.limits;
    if let Some(v) = args.max_entry_size {
        limits.max_entry_bytes = v;
    }
    if let Some(v) = args.max_total_size {
        limits.max_total_bytes = v;
    }
    if let Some(v) = args.max_line_size {
        limits.max_line_bytes = usize::try_from(v).unwrap_or(usize::MAX);
    }
    if let Some(v) = args.max_depth {
        limits.max_depth = v.max(1);
    }
    if let Some(v) = args.max_entries {
        limits.max_entries = v;
    }
    options
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_binary_multiples_and_garbage_is_an_error() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("4gb"), Ok(4 << 30));
        assert_eq!(parse_size("32GiB"), Ok(32 << 30));
        for bad in ["0", "1.5G", "10X", "", "99999999999T", "G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
