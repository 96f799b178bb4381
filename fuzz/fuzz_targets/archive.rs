#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| podmortem_fuzz::archive(data));
