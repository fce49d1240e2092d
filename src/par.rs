//! Work split across cores, for every stage: a leaf module that imports nothing of the crate.
//!
//! [`map`] and [`runs_mut`] hand items (or runs of items) to [`threads`] scoped threads, each
//! taking the next when it is free, so items of very different sizes balance. [`in_order`]
//! consumes results on the calling thread in index order while later ones are still being worked
//! on, with a bound on how many wait.
//!
//! Why not rayon (in Cargo.lock through Polars): its pool runs these maps as fast, but at 10M posts
//! the process peaked about 90 MiB higher (645 against 556 MiB on two threads, 615 against 523 on one;
//! `benches/ab.py`, BENCHMARKS.md "Build time and the house"), which would put niche's peak above
//! DuckDB's on the same data. The rayon version is kept behind the `rayon-pool` feature so the
//! comparison can be run again; rayon has no equivalent of [`in_order`] either way.

use std::sync::OnceLock;

/// Threads for work split across cores: `NICHE_THREADS` if set (tests use it to show that results
/// do not depend on it), else the machine's parallelism, at most 64. Read once per process.
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("NICHE_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, 64)
    })
}

/// `f` over every item, in parallel, each thread taking the next item when it is free; the
/// results in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "rayon-pool")]
    {
        use rayon::prelude::*;
        if let Some(pool) = rayon_pool() {
            return pool.install(|| items.par_iter().with_max_len(1).map(f).collect());
        }
    }
    let mut refs: Vec<&T> = items.iter().collect();
    runs_mut(&mut refs, 1, |_, run| run.first().map(|item| f(item)))
        .into_iter()
        .flatten()
        .collect()
}

/// `f` over `items` in runs of `run` items, in parallel, each thread taking the next run when it
/// is free (so a part of the list whose items are heavy does not leave one thread working alone,
/// as halving the list would); `f` gets the run's first index and the run. The runs' results, in
/// the runs' order.
pub fn runs_mut<T: Send, R: Send>(
    items: &mut [T],
    run: usize,
    f: impl Fn(usize, &mut [T]) -> R + Sync + Send,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let run = run.max(1);
    #[cfg(feature = "rayon-pool")]
    {
        use rayon::prelude::*;
        if let Some(pool) = rayon_pool() {
            return pool.install(|| {
                items
                    .par_chunks_mut(run)
                    .with_max_len(1)
                    .enumerate()
                    .map(|(i, items)| f(i * run, items))
                    .collect()
            });
        }
    }
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

/// With the `rayon-pool` feature, the pool the maps run on (`None` when the system would not
/// start its threads: the maps then run on scoped threads as without the feature).
#[cfg(feature = "rayon-pool")]
fn rayon_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(threads()).build().ok())
        .as_ref()
}

/// `work` for each of `0..n` on [`threads`] threads, and `consume` of each result on the calling
/// thread, in index order, as soon as it and every one before it are done (so consuming overlaps
/// the work). At most `window` results are done but not yet consumed at a time, which bounds the
/// memory they hold. With one thread, or one item, everything runs on the calling thread.
pub fn in_order<R: Send>(n: usize, window: usize, work: impl Fn(usize) -> R + Sync, consume: impl FnMut(usize, R)) {
    in_order_on(threads(), n, window, work, consume);
}

/// [`in_order`] on `workers` threads.
fn in_order_on<R: Send>(
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

#[cfg(test)]
mod tests {
    #[test]
    fn map_keeps_the_items_order() {
        for n in [0usize, 1, 2, 3, 17, 200] {
            let items: Vec<usize> = (0..n).collect();
            // Uneven work, so threads finish out of order.
            let out = super::map(&items, |&i| {
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
    fn runs_mut_gives_each_run_its_first_index_in_order() {
        for n in [0usize, 1, 5, 17, 64] {
            for run in [1usize, 3, 8] {
                let mut items: Vec<usize> = (0..n).collect();
                let out = super::runs_mut(&mut items, run, |first, part| {
                    for x in part.iter_mut() {
                        *x *= 2;
                    }
                    (first, part.len())
                });
                let expected: Vec<(usize, usize)> = (0..n).step_by(run).map(|i| (i, run.min(n - i))).collect();
                assert_eq!(out, expected, "{n} items in runs of {run}");
                assert_eq!(items, (0..n).map(|i| i * 2).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn in_order_consumes_in_order_and_holds_at_most_a_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for workers in [1, 2, 4] {
            for n in [0usize, 1, 2, 5, 100] {
                for window in [1, 3] {
                    let consumed = AtomicUsize::new(0);
                    let too_far = AtomicUsize::new(0);
                    let mut seen = Vec::new();
                    super::in_order_on(
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
    fn in_order_passes_a_panic_on_instead_of_waiting_forever() {
        for workers in [1, 2, 3] {
            let in_work = std::panic::catch_unwind(|| {
                super::in_order_on(workers, 50, 2, |i| assert!(i != 7, "work fails"), |_, ()| {});
            });
            assert!(in_work.is_err(), "{workers} workers");
            let in_consume = std::panic::catch_unwind(|| {
                super::in_order_on(workers, 50, 2, |i| i, |i, _| assert!(i != 3, "consume fails"));
            });
            assert!(in_consume.is_err(), "{workers} workers");
        }
    }
}
