//! A spinner on standard error for scans that take more than about a
//! second, so a big estate does not look hung. It is drawn only when the
//! real standard error is a terminal (never in pipes, files or CI logs) and
//! never with `--quiet`; it erases itself before any report is printed.
//! It writes to the terminal device itself (`/dev/tty`, `CONOUT$`), not to
//! the injected writer or `std::io::stderr()`: it is a property of the
//! terminal, not part of camlint's output, and the binary holds the stderr
//! lock for the whole run, so a second writer through `Stderr` would wait
//! forever.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(100);
const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const STAGES: [&str; 5] = [
    "reading policies",
    "discovering files",
    "parsing",
    "resolving",
    "evaluating",
];

/// The pipeline stage shown next to the spinner, an index into `STAGES`.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    Policy = 0,
    Discover = 1,
    Parse = 2,
    Resolve = 3,
    Evaluate = 4,
}

pub struct Progress {
    stop: Arc<AtomicBool>,
    stage: Arc<AtomicUsize>,
    handle: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the spinner's clock; nothing shows for the first second.
    pub fn start(quiet: bool) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let stage = Arc::new(AtomicUsize::new(0));
        let terminal = (!quiet && std::io::stderr().is_terminal())
            .then(open_terminal)
            .flatten();
        let handle = terminal.map(|tty| {
            let (stop, stage) = (Arc::clone(&stop), Arc::clone(&stage));
            std::thread::spawn(move || spin(tty, &stop, &stage))
        });
        Progress {
            stop,
            stage,
            handle,
        }
    }

    pub fn stage(&self, s: Stage) {
        self.stage.store(s as usize, Ordering::Relaxed);
    }

    /// Stops and erases the spinner; returns once the line is clear.
    pub fn finish(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            h.thread().unpark();
            let _ = h.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn open_terminal() -> Option<std::fs::File> {
    let device = if cfg!(windows) { "CONOUT$" } else { "/dev/tty" };
    std::fs::OpenOptions::new().write(true).open(device).ok()
}

fn spin(mut err: std::fs::File, stop: &AtomicBool, stage: &AtomicUsize) {
    let started = Instant::now();
    while started.elapsed() < DELAY {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::park_timeout(DELAY.saturating_sub(started.elapsed()));
    }
    let mut frame = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let f = FRAMES.get(frame % FRAMES.len()).copied().unwrap_or("-");
        let s = STAGES
            .get(stage.load(Ordering::Relaxed))
            .copied()
            .unwrap_or("");
        let _ = write!(
            err,
            "\r\x1b[2K{f} camlint: {s}… {:.1}s",
            started.elapsed().as_secs_f64()
        );
        let _ = err.flush();
        frame += 1;
        std::thread::park_timeout(TICK);
    }
    let _ = write!(err, "\r\x1b[2K");
    let _ = err.flush();
}
