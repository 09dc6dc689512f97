use std::io;
use std::process::ExitCode;

// The scan allocates many small objects from several threads; mimalloc
// measured markedly faster than the system allocator here (docs/PERFORMANCE.md).
// `--features system-alloc` builds with the system allocator, for heap
// profilers that hook malloc (heaptrack).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    camlint::skip_freeing_at_exit();
    // A bug in camlint is exit code 3, never a crash that looks like findings.
    let code = std::panic::catch_unwind(|| {
        camlint::run(
            std::env::args_os(),
            &mut io::stdout().lock(),
            &mut io::stderr().lock(),
        )
    })
    .unwrap_or(camlint::EXIT_INTERNAL);
    ExitCode::from(u8::try_from(code).unwrap_or(3))
}
