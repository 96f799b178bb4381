//! Test helpers the unit tests of several modules share (compiled for tests only).

pub fn garbage_inputs() -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    const SOUP: &[&str] = &[
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "-",
        " - ",
        ":",
        "=",
        "\"",
        "'",
        "\\",
        "\\040",
        "\\7",
        "/",
        ".",
        "(",
        ")",
        "[",
        "]",
        "{",
        "ii",
        "rc",
        "1",
        "42",
        "0:17",
        "x86_64",
        "-r1",
        "é",
        "\u{feff}",
        "Package:",
        "Name   :",
        "Version:",
        " on ",
        " type ",
        " release ",
        "//deleted",
        "#",
    ];
    let mut out = Vec::new();
    for round in 0..400 {
        let len = next() % 200;
        if round % 2 == 0 {
            let bytes: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        } else {
            out.push((0..len).map(|_| SOUP[next() % SOUP.len()]).collect());
        }
    }
    out
}

/// `rounds` pairs of deterministic junk for a parser: *noise*, up to
/// `max_len` characters drawn from `alphabet` (a parser must find nothing in
/// it), and *salad*, as many of the format's own `tokens` in random order (a
/// parser must not panic on it). A fixed xorshift stream from `seed`.
pub fn noise_and_salad(
    seed: u64,
    alphabet: &[char],
    tokens: &[&str],
    rounds: usize,
    max_len: usize,
) -> Vec<(String, String)> {
    let mut seed = seed;
    let mut out = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let mut noise = String::new();
        let mut salad = String::new();
        for _ in 0..(round % max_len) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let k = usize::try_from(seed % 1000).unwrap_or(0);
            if let Some(c) = alphabet.get(k % alphabet.len().max(1)) {
                noise.push(*c);
            }
            salad.push_str(tokens.get(k % tokens.len().max(1)).copied().unwrap_or(""));
        }
        out.push((noise, salad));
    }
    out
}
