//! `niche` tells a creator which niche (赛道) to enter, on which platform, and why.
//!
//! The program is a pipeline; each stage hands the next a distinct type, so the order is kept by
//! the compiler:
//!
//! 1. [`load`]: bytes on disk -> [`load::RawTable`] (encodings, delimiters, workbooks, JSON, banner
//!    and total rows).
//! 2. [`normalise`]: raw tables -> [`normalise::Tables`] (column aliases, units, dates, missing
//!    values, duplicates; canonical Polars frames for accounts, posts and snapshots).
//! 3. [`measure`]: tables -> [`measure::Metrics`] (per-account and per-niche numbers; pure).
//! 4. [`score`]: metrics -> [`score::Scored`] (demand × business × traffic; pure).
//! 5. [`report`]: scored data -> bytes (terminal table, CSV, JSON).
//!
//! [`output`] is the only module that writes files. Every number printed is defined in METHOD.md,
//! whose version is [`method::METHOD_VERSION`].

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod method;
pub mod profile;

pub mod load;
pub mod measure;
pub mod normalise;
pub mod report;
pub mod score;

/// Saved analyses (niche.toml), the stage cache and the run log.
pub mod analysis;

pub mod output;

/// Synthetic inputs with planted truth, for tests and benchmarks.
pub mod generate;
pub mod progress;
pub mod rng;
mod statics;
pub mod timing;

pub use error::{Error, Result};

static ONE_SHOT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Declare this process one command that exits when done (`niche score`), as opposed to one that
/// keeps going (`niche watch`): see [`free_later`].
pub fn one_shot() {
    ONE_SHOT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Free plain data (tables, posts, units: nothing whose drop closes a file or writes anything).
/// In a one-shot process it is left to the system, which takes back the whole process's memory
/// at exit in one go: freeing 100k lists of posts one by one took ~0.3 s at 10M posts. Elsewhere
/// it is dropped now.
pub fn free_later<T>(value: T) {
    if ONE_SHOT.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// Threads for work split across cores: `NICHE_THREADS` if set (tests use it to show that results
/// do not depend on it), else the machine's parallelism, at most 64.
pub fn threads() -> usize {
    std::env::var("NICHE_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 64)
}

/// `f` over every item on [`threads`] threads, each taking the next item when it is free (items
/// of very different sizes balance); the results in the items' order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    // Runs of one item, handed out one at a time.
    let mut refs: Vec<&T> = items.iter().collect();
    par_runs_mut(&mut refs, 1, |_, run| run.first().map(|item| f(item)))
        .into_iter()
        .flatten()
        .collect()
}

/// `f` over `items` in runs of `run` items, on [`threads`] threads, each taking the next run
/// when it is free (so a part of the list whose items are heavy does not leave one thread working
/// alone, as halving the list would); `f` gets the run's first index and the run. The runs'
/// results, in the runs' order.
pub fn par_runs_mut<T: Send, R: Send>(items: &mut [T], run: usize, f: impl Fn(usize, &mut [T]) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let run = run.max(1);
    let runs: Vec<std::sync::Mutex<(&mut [T], Option<R>)>> = items
        .chunks_mut(run)
        .map(|items| std::sync::Mutex::new((items, None)))
        .collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads().min(runs.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = runs.get(i) else { return };
                if let Ok(mut slot) = slot.lock() {
                    let (items, out) = &mut *slot;
                    *out = Some(f(i * run, items));
                }
            });
        }
    });
    // A panic in `f` is passed on by the scope; every run has its result otherwise.
    runs.into_iter()
        .filter_map(|slot| slot.into_inner().ok().and_then(|(_, out)| out))
        .collect()
}

/// `work` for each of `0..n` on [`threads`] threads, and `consume` of each result on the calling
/// thread, in index order, as soon as it and every one before it are done (so consuming overlaps
/// the work). At most `window` results are done but not yet consumed at a time, which bounds the
/// memory they hold. With one thread, or one item, everything runs on the calling thread.
pub fn par_in_order<R: Send>(n: usize, window: usize, work: impl Fn(usize) -> R + Sync, consume: impl FnMut(usize, R)) {
    par_in_order_on(threads(), n, window, work, consume);
}

/// [`par_in_order`] on `workers` threads.
fn par_in_order_on<R: Send>(
    workers: usize,
    n: usize,
    window: usize,
    work: impl Fn(usize) -> R + Sync,
    mut consume: impl FnMut(usize, R),
) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, PoisonError};
    let workers = workers.min(n);
    if workers <= 1 {
        for i in 0..n {
            consume(i, work(i));
        }
        return;
    }
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    // How many results were consumed, and a bell rung when that grows (or when all is abandoned).
    let consumed = (Mutex::new(0usize), Condvar::new());
    let abandoned = AtomicBool::new(false);
    /// Rung on the way out of a thread that is unwinding, so no worker waits forever for a
    /// result that will not come.
    struct Alarm<'a>(&'a AtomicBool, &'a Condvar);
    impl Drop for Alarm<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.store(true, Ordering::SeqCst);
                self.1.notify_all();
            }
        }
    }
    let (sender, results) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let (sender, next, consumed, abandoned, work) = (sender.clone(), &next, &consumed, &abandoned, &work);
            s.spawn(move || {
                let _alarm = Alarm(abandoned, &consumed.1);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        return;
                    }
                    // Items are taken in order, so the one the consumer waits for is always being
                    // worked on: waiting here cannot block it.
                    let mut done = consumed.0.lock().unwrap_or_else(PoisonError::into_inner);
                    while i >= *done + window && !abandoned.load(Ordering::SeqCst) {
                        done = consumed.1.wait(done).unwrap_or_else(PoisonError::into_inner);
                    }
                    drop(done);
                    if abandoned.load(Ordering::SeqCst) || sender.send((i, work(i))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let _alarm = Alarm(&abandoned, &consumed.1);
        let mut waiting: Vec<Option<R>> = (0..n).map(|_| None).collect();
        let mut done = 0;
        for (i, result) in results.iter() {
            if let Some(slot) = waiting.get_mut(i) {
                *slot = Some(result);
            }
            while let Some(result) = waiting.get_mut(done).and_then(Option::take) {
                consume(done, result);
                done += 1;
                *consumed.0.lock().unwrap_or_else(PoisonError::into_inner) = done;
                consumed.1.notify_all();
            }
        }
    });
}

/// Run one command line to completion.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Score(args) => commands::score::run(&args),
        cli::Command::Report(args) => commands::report::run(&args),
        cli::Command::Init(args) => commands::init::run(&args),
        cli::Command::Run(args) => commands::run::run(&args),
        cli::Command::Diff(args) => commands::diff::run(&args),
        cli::Command::Inspect(args) => commands::inspect::run(&args),
        cli::Command::Gen(args) => commands::gen::run(&args),
        cli::Command::Config => output::write_stdout(config::Model::default_file().as_bytes()).map_err(Into::into),
    }
}

/// The exit code for an error that reached `main`: 2 for bad usage, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .map_or(1, Error::exit_code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn par_map_keeps_the_items_order() {
        for n in [0usize, 1, 2, 3, 17, 200] {
            let items: Vec<usize> = (0..n).collect();
            // Uneven work, so threads finish out of order.
            let out = super::par_map(&items, |&i| {
                let spin: u64 = (0..((n - i) * 500) as u64).sum();
                (i * 3, spin)
            });
            assert_eq!(
                out.iter().map(|x| x.0).collect::<Vec<_>>(),
                (0..n).map(|i| i * 3).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn par_in_order_consumes_in_order_and_holds_at_most_a_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for workers in [1, 2, 4] {
            for n in [0usize, 1, 2, 5, 100] {
                for window in [1, 3] {
                    let consumed = AtomicUsize::new(0);
                    let too_far = AtomicUsize::new(0);
                    let mut seen = Vec::new();
                    super::par_in_order_on(
                        workers,
                        n,
                        window,
                        |i| {
                            // Work on an item starts only while it is within the window.
                            if i >= consumed.load(Ordering::SeqCst) + window {
                                too_far.fetch_add(1, Ordering::SeqCst);
                            }
                            // Uneven work, so items finish out of order.
                            let spin: u64 = (0..((n - i) * 300) as u64).sum();
                            (i * 3, spin)
                        },
                        |i, (r, _)| {
                            seen.push((i, r));
                            consumed.fetch_add(1, Ordering::SeqCst);
                        },
                    );
                    let expected: Vec<_> = (0..n).map(|i| (i, i * 3)).collect();
                    assert_eq!(seen, expected, "{workers} workers, {n} items, window {window}");
                    assert_eq!(too_far.load(Ordering::SeqCst), 0, "{workers} workers, window {window}");
                }
            }
        }
    }

    #[test]
    fn par_in_order_passes_a_panic_on_instead_of_waiting_forever() {
        for workers in [1, 2, 3] {
            let in_work = std::panic::catch_unwind(|| {
                super::par_in_order_on(workers, 50, 2, |i| assert!(i != 7, "work fails"), |_, ()| {});
            });
            assert!(in_work.is_err(), "{workers} workers");
            let in_consume = std::panic::catch_unwind(|| {
                super::par_in_order_on(workers, 50, 2, |i| i, |i, _| assert!(i != 3, "consume fails"));
            });
            assert!(in_consume.is_err(), "{workers} workers");
        }
    }

    #[test]
    fn free_later_drops_until_the_process_is_declared_one_shot() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        struct Counted<'a>(&'a AtomicUsize);
        impl Drop for Counted<'_> {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
        let dropped = AtomicUsize::new(0);
        super::free_later(Counted(&dropped));
        assert_eq!(dropped.load(Ordering::Relaxed), 1);
        super::one_shot();
        super::free_later(Counted(&dropped));
        assert_eq!(dropped.load(Ordering::Relaxed), 1);
    }
}
