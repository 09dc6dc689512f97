use std::io;
use std::process::ExitCode;

// The scan allocates many small objects from several threads; mimalloc
// measured markedly faster than the system allocator here (docs/PERFORMANCE.md).
// `--features system-alloc` builds with the system allocator, for heap
// profilers that hook malloc (heaptrack).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc, asked through its plain entry points whenever the alignment
/// asked for is one every mimalloc block has. `mimalloc::MiMalloc` asks
/// for every allocation through the aligned ones, and in mimalloc 3 those
/// fall back to over-allocating (a bigger block, and a page marked as
/// holding interior pointers, which slows every free from it) each time the
/// size class has no free block at hand, unless the size is a power of
/// two. Most of a scan's allocations are strings and vectors of odd sizes:
/// 8% of a large scan's instructions went to the allocator that way.
#[cfg(not(feature = "system-alloc"))]
struct Mimalloc;

/// Every mimalloc block is aligned to a machine word: blocks are whole
/// words, and a page's first block is aligned to at least 16 bytes.
#[cfg(not(feature = "system-alloc"))]
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each method hands the request to mimalloc, which returns null or
// a block of at least the size asked for, aligned as asked: by its aligned
// entry points, or by the plain ones when the alignment is at most a word,
// which every block has (see `WORD`). Blocks are freed by `mi_free` and
// resized by the `realloc` of the same family they came from: the plain
// and aligned families allocate from the same heaps, and `mi_free` takes
// either.
#[cfg(not(feature = "system-alloc"))]
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (the
        // caller's contract); the new block keeps its alignment.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

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
