//! The one audited module with `unsafe` code: scrubbing freed heap memory.
//!
//! Why: after a lock, decrypted client data must not linger in memory. Rust code
//! frees through the global allocator, which this module wraps so that every
//! freed block is wiped first; C code (SQLite, OpenSSL, GLib) frees through
//! glibc, whose `M_PERTURB` option overwrites freed chunks. SQLCipher's own
//! `cipher_memory_security` wipes what SQLite frees as well.
//!
//! Audit notes: every `unsafe` block below forwards to `std::alloc::System` with
//! the exact layout it was given, and wipes only the `layout.size()` bytes that
//! the caller owned, before handing them back.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

static SCRUBBING_ENABLED: AtomicBool = AtomicBool::new(true);

/// A global allocator that wipes every block before it is freed or moved.
/// Install it in a binary with `#[global_allocator]`.
#[derive(Debug, Default)]
pub struct ScrubbingAllocator;

/// Switches the wiping off or on. Only tests use this, to show that the memory
/// scan fails without it.
pub fn set_heap_scrubbing(enabled: bool) {
    SCRUBBING_ENABLED.store(enabled, Ordering::SeqCst);
}

pub fn heap_scrubbing_enabled() -> bool {
    SCRUBBING_ENABLED.load(Ordering::Relaxed)
}

fn wipe(pointer: *mut u8, length: usize) {
    if length == 0 {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `pointer` is a live allocation of at least `length` bytes owned by
    // the caller; explicit_bzero is a memset the compiler may not elide.
    unsafe {
        libc::explicit_bzero(pointer.cast(), length);
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        // SAFETY: as above; zeroize uses volatile writes that are not elided.
        let block = unsafe { std::slice::from_raw_parts_mut(pointer, length) };
        zeroize::Zeroize::zeroize(block);
    }
}

// SAFETY: all allocation is delegated to `System` with unchanged layouts.
unsafe impl GlobalAlloc for ScrubbingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        if heap_scrubbing_enabled() {
            wipe(pointer, layout.size());
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !heap_scrubbing_enabled() {
            // SAFETY: forwarded unchanged.
            return unsafe { System.realloc(pointer, layout, new_size) };
        }
        // A plain realloc may move the block and free the old one unwiped, so
        // the move is done here: allocate, copy, wipe, free.
        // SAFETY: the caller guarantees `new_size`, rounded to `layout.align()`,
        // does not overflow, which is what `from_size_align_unchecked` needs.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_layout` has a non-zero size (GlobalAlloc contract).
        let new_pointer = unsafe { System.alloc(new_layout) };
        if !new_pointer.is_null() {
            // SAFETY: both blocks are live and distinct; the copy stays within
            // the smaller of the two sizes.
            unsafe {
                std::ptr::copy_nonoverlapping(pointer, new_pointer, layout.size().min(new_size));
            }
            wipe(pointer, layout.size());
            // SAFETY: the old block was allocated by `System` with `layout`.
            unsafe { System.dealloc(pointer, layout) };
        }
        new_pointer
    }
}

/// What [`harden_process`] managed to switch on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessHardening {
    /// glibc fills freed chunks with a byte pattern.
    pub malloc_perturb: bool,
    /// Core dumps, which would copy decrypted memory to disk, are off.
    pub core_dumps_disabled: bool,
}

/// Makes C allocations scrubbed on free and turns core dumps off. Call it first
/// thing in `main`, before other threads start.
pub fn harden_process() -> ProcessHardening {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt and setrlimit only change process settings; the
        // rlimit struct is fully initialised.
        let malloc_perturb = unsafe { libc::mallopt(libc::M_PERTURB, 0x5a) } == 1;
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: as above.
        let core_dumps_disabled = unsafe { libc::setrlimit(libc::RLIMIT_CORE, &no_core) } == 0;
        ProcessHardening {
            malloc_perturb,
            core_dumps_disabled,
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        ProcessHardening {
            malloc_perturb: false,
            core_dumps_disabled: false,
        }
    }
}

/// glibc's per-thread cache keeps up to seven freed chunks per size (up to
/// 1,032 bytes) without the `M_PERTURB` wipe; with it off, freed chunks go
/// straight to the arena, which wipes them. Read by glibc at process start only.
const NO_THREAD_CACHE: &str = "glibc.malloc.tcache_count=0";
/// Marks a process that was started again with the allocator settings, so it
/// never starts itself a second time.
const RESTARTED: &str = "KLUIS_ALLOCATORS_SET";

/// What a process must be started with for freed client text to be wiped by
/// every allocator it uses (measured for issue 12 with a client's remarks:
/// 15 copies in the app process after lock without them, 1 with both):
/// glibc's thread cache off, and WebKit's own allocator (libpas/bmalloc, which
/// neither the Rust allocator nor glibc's perturb byte reach) replaced by the
/// system malloc (`Malloc=1`).
pub fn scrubbing_allocator_environment() -> Vec<(String, String)> {
    let tunables = match std::env::var("GLIBC_TUNABLES") {
        Ok(existing)
            if existing
                .split(':')
                .any(|tunable| tunable == NO_THREAD_CACHE) =>
        {
            existing
        }
        Ok(existing) if !existing.is_empty() => format!("{existing}:{NO_THREAD_CACHE}"),
        _ => NO_THREAD_CACHE.to_owned(),
    };
    vec![
        ("GLIBC_TUNABLES".to_owned(), tunables),
        ("Malloc".to_owned(), "1".to_owned()),
    ]
}

/// Whether this process already runs with [`scrubbing_allocator_environment`].
pub fn runs_with_scrubbing_allocators() -> bool {
    scrubbing_allocator_environment()
        .iter()
        .all(|(name, value)| std::env::var(name).as_deref() == Ok(value.as_str()))
}

/// Starts this program again in place (same process id, arguments and open
/// files) with [`scrubbing_allocator_environment`] when it was not started
/// with it: the settings only take effect from a process's start. Returns
/// only when no restart is needed or it failed (the error says why); call it
/// first thing in `main`, before any thread starts.
pub fn restart_with_scrubbing_allocators() -> Option<std::io::Error> {
    if runs_with_scrubbing_allocators() || std::env::var_os(RESTARTED).is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let program = match std::env::current_exe() {
            Ok(program) => program,
            Err(error) => return Some(error),
        };
        let error = std::process::Command::new(program)
            .args(std::env::args_os().skip(1))
            .envs(scrubbing_allocator_environment())
            .env(RESTARTED, "1")
            .exec();
        Some(error)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(test)]
mod allocator_environment_tests {
    use super::*;

    #[test]
    fn the_thread_cache_setting_joins_other_tunables() {
        let environment = scrubbing_allocator_environment();
        let tunables = &environment[0].1;
        assert!(
            tunables
                .split(':')
                .any(|tunable| tunable == NO_THREAD_CACHE)
        );
        assert_eq!(environment[1], ("Malloc".to_owned(), "1".to_owned()));
    }
}
