//! zstd streams through ruzstd (pure Rust: no C library to build in CI; it
//! decodes faster than xz, so it is never the slowest format a bundle comes in).
//!
//! ruzstd's `StreamingDecoder` reads one frame, but `zstd -T0`, pzstd and
//! `cat a.zst b.zst` write several: `Frames` reads them all, in order.
//!
//! Known limit: on a cut stream, the last window of decoded bytes (the
//! frame's window size, a few MiB for real files) is lost, because ruzstd
//! keeps it for back-references and has no way to flush it on an error.
//! No producer in `reference/bundle-layouts.md` writes zstd by default, so
//! that was judged cheaper than the C library's build (the slowest unit of
//! the whole build, on every CI run).

use std::io::{self, BufRead, BufReader, Read};

use ruzstd::{FrameDecoder, StreamingDecoder};

pub struct Frames<R: Read> {
    /// The frame being read.
    frame: Option<StreamingDecoder<BufReader<R>, FrameDecoder>>,
    /// Between frames: the input, and the decoder kept for reuse (its window buffer).
    input: Option<(BufReader<R>, FrameDecoder)>,
}

impl<R: Read> Frames<R> {
    /// Nothing is read until the first `read`, so a bad header is reported
    /// as a read error, like every other decoder's.
    pub fn new(reader: R) -> Frames<R> {
        Frames {
            frame: None,
            input: Some((BufReader::new(reader), FrameDecoder::new())),
        }
    }
}

impl<R: Read> Read for Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(frame) = self.frame.as_mut() {
                // ruzstd decodes until the whole buffer can be filled; on a cut
                // stream that error would discard what is already decoded. So
                // ask only for what is ready, or one byte (one more block).
                let ready = frame.decoder.can_collect();
                let want = if ready > 0 { buf.len().min(ready) } else { 1 };
                let n = frame.read(buf.get_mut(..want).unwrap_or_default())?;
                if n > 0 {
                    return Ok(n);
                }
                // This frame is complete; another may follow.
                if let Some(frame) = self.frame.take() {
                    self.input = Some(frame.into_parts());
                }
            }
            let Some((mut input, decoder)) = self.input.take() else {
                return Ok(0);
            };
            if input.fill_buf()?.is_empty() {
                // A clean end: between frames.
                return Ok(0);
            }
            // Skippable frames (metadata) are stepped over by the decoder's init.
            let frame = StreamingDecoder::new_with_decoder(input, decoder)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            self.frame = Some(frame);
        }
    }
}
