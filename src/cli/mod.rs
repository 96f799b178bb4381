//! The command line's parts, beside `main.rs` in the binary (not part of the
//! library): the flags, the batch progress display, the `rules` subcommands.

pub mod args;
pub mod progress;
pub mod rules;

/// Print to standard output; a closed pipe (`| head`) ends the output quietly.
pub fn emit(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_ok()
}
