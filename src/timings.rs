//! Stage timings for people profiling camlint: with `CAMLINT_TIMINGS=1`
//! each pipeline stage prints its wall time to standard error when it ends,
//! with the CPU time the process spent in it (all threads, user and
//! system): CPU time near wall time × threads means the stage kept every
//! core busy; near wall time alone, that it ran on one.
//! Off by default, and then costs one relaxed atomic load per stage.
//!
//! Timings go to the process's standard error rather than the injected
//! writers: they describe this run of the program, not its findings, and
//! must never mix into a report.

use std::io::Write as _;
use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CAMLINT_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// A stopwatch for consecutive stages: each `lap` reports the time since
/// the previous one.
pub struct Stopwatch {
    last: Instant,
    last_cpu: Option<f64>,
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            last_cpu: if enabled() { cpu_ms() } else { None },
        }
    }

    /// Reports the stage that just ended and starts the next.
    pub fn lap(&mut self, stage: &str) {
        if enabled() {
            let now = Instant::now();
            let ms = now.duration_since(self.last).as_secs_f64() * 1e3;
            let cpu = cpu_ms();
            let spent = match (cpu, self.last_cpu) {
                (Some(now), Some(then)) => format!("{:8.1}", now - then),
                _ => format!("{:>8}", "?"),
            };
            let _ = writeln!(
                std::io::stderr(),
                "camlint: {stage:<24} {ms:8.1} ms {spent} ms CPU {:>6} MB resident",
                resident_mb().map_or_else(|| "?".to_string(), |m| m.to_string())
            );
            self.last = now;
            self.last_cpu = cpu;
        }
    }
}

/// CPU time of the whole process so far, user and system, in milliseconds.
#[cfg(unix)]
fn cpu_ms() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes the struct it is given, which is
    // zeroed and the size it expects; it is read only when the call says
    // it filled it.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    Some(ms(usage.ru_utime) + ms(usage.ru_stime))
}

#[cfg(not(unix))]
fn cpu_ms() -> Option<f64> {
    None
}

/// Resident memory now, where the system tells it (`/proc/self/statm`).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
