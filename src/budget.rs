//! What one evaluation may spend: a deadline, a flag its requester raises
//! when it no longer wants the answer, and a number of bytes it may hold.
//!
//! `charter serve` sets a budget on the thread that runs an evaluation; the
//! engine's loops call [`check`] (every waterfall built, every stretch of
//! the exit curve, every tranche valued), so an evaluation stops at its next
//! step once its time is up, its client has gone or it holds more memory
//! than allowed — instead of running on for minutes after nobody waits for
//! it. Without a budget (the command line, the REPL) `check` always passes.
//!
//! Memory is counted by [`Counting`], a global allocator the binary installs:
//! each thread's bytes allocated less bytes freed. It is a count, not a
//! guarantee — an evaluation may overshoot by what it allocates between two
//! checks — but each check is at most one stretch, tranche or waterfall
//! apart, all linear in the charter's size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnostic::Kind;

/// Why an evaluation was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Its time was up.
    Time(Duration),
    /// It held more memory than it may.
    Memory(usize),
    /// Its requester no longer wants the answer.
    Abandoned,
}

impl Why {
    /// What to tell the requester, when there is still one.
    pub fn message(self) -> String {
        match self {
            Why::Time(d) => format!(
                "the evaluation took longer than {} ms and was stopped",
                d.as_millis()
            ),
            Why::Memory(bytes) => format!(
                "the evaluation needed more than {} MB of memory and was stopped",
                bytes / (1024 * 1024)
            ),
            Why::Abandoned => "the evaluation was abandoned by its client".to_string(),
        }
    }
}

/// The limits of one evaluation.
#[derive(Debug, Clone)]
pub struct Budget {
    /// When it started.
    pub start: Instant,
    /// How long it may take from `start`.
    pub time: Duration,
    /// Raised when the requester has gone.
    pub abandoned: Arc<AtomicBool>,
    /// Bytes it may hold on its thread beyond what the thread held at the start.
    pub memory: usize,
}

impl Budget {
    /// Why it is spent before it began (its requester gone, or its time up
    /// while it waited), if it is.
    pub fn expired(&self) -> Option<Why> {
        if self.abandoned.load(Ordering::Relaxed) {
            Some(Why::Abandoned)
        } else if self.start.elapsed() > self.time {
            Some(Why::Time(self.time))
        } else {
            None
        }
    }

    /// Why it is spent, if it is, with the thread holding `held` bytes more
    /// than at the start.
    fn spent(&self, held: usize) -> Option<Why> {
        if let Some(why) = self.expired() {
            Some(why)
        } else if held > self.memory {
            Some(Why::Memory(self.memory))
        } else {
            None
        }
    }
}

thread_local! {
    /// The budget in force on this thread and the bytes the thread held when
    /// it was set.
    static CURRENT: RefCell<Option<(Budget, isize)>> = const { RefCell::new(None) };
    /// Why the evaluation on this thread was stopped, once a check has said.
    static TRIPPED: Cell<Option<Why>> = const { Cell::new(None) };
    /// Bytes this thread has allocated less those it has freed (a block
    /// freed on another thread than the one that allocated it skews both).
    static HELD: Cell<isize> = const { Cell::new(0) };
}

/// The bytes this thread holds, as [`Counting`] has counted them.
fn held() -> isize {
    HELD.try_with(Cell::get).unwrap_or(0)
}

/// Runs `f` under `budget` on this thread; the budget is lifted after it,
/// however it ends.
pub fn within<T>(budget: Budget, f: impl FnOnce() -> T) -> T {
    struct Lift;
    impl Drop for Lift {
        fn drop(&mut self) {
            let _ = CURRENT.try_with(|c| c.replace(None));
        }
    }
    let _ = TRIPPED.try_with(|t| t.set(None));
    let _ = CURRENT.try_with(|c| c.replace(Some((budget, held()))));
    let _lift = Lift;
    f()
}

/// Why the evaluation on this thread must stop, if it must.
pub fn spent() -> Option<Why> {
    CURRENT
        .try_with(|c| {
            c.borrow().as_ref().and_then(|(b, at_start)| {
                let more = held().saturating_sub(*at_start);
                b.spent(usize::try_from(more).unwrap_or(0))
            })
        })
        .ok()
        .flatten()
}

/// Passes unless the evaluation on this thread must stop.
pub fn check() -> Result<(), Kind> {
    match spent() {
        None => Ok(()),
        Some(why) => {
            let _ = TRIPPED.try_with(|t| t.set(Some(why)));
            Err(Kind::Stopped(why.message()))
        }
    }
}

/// Why a [`check`] under the current budget stopped the evaluation, if
/// one did — whatever the evaluation made of the error it was given.
pub fn tripped() -> Option<Why> {
    TRIPPED.try_with(Cell::get).ok().flatten()
}

/// Gives memory freed by a large evaluation back to the system: the
/// allocator otherwise keeps it for the thread that freed it, and a server
/// that once answered a heavy request would stay that large.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases free memory; it is safe to call
    // at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The system allocator, counting each thread's bytes for [`check`].
pub struct Counting;

/// What the system allocator spends on a block besides the bytes asked
/// for (glibc: a header and rounding to 16 bytes): counted too, so that a
/// million small blocks weigh what they cost.
const OVERHEAD: usize = 16;

fn count(bytes: usize, sign: isize) {
    let n = isize::try_from(bytes.saturating_add(OVERHEAD)).unwrap_or(isize::MAX);
    let _ = HELD.try_with(|h| h.set(h.get().saturating_add(n.saturating_mul(sign))));
}

// SAFETY: every call is passed to `System` unchanged; the count is a
// thread-local integer with a const initializer, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        // SAFETY: the caller's contract for `alloc` is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(layout.size(), -1);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size, 1);
        count(layout.size(), -1);
        // SAFETY: as for `dealloc` and `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
