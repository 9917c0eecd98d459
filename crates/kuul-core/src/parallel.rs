//! Work split over the cores once a command's lists are read. Until the last list arrives the
//! decoding keeps every core busy; after it, building `history -A`'s 50,000 runs and their
//! table rows ran on one thread while the others idled (a fifth of that command's wall time).

use std::num::NonZeroUsize;

/// Below this many items a thread costs more than it saves.
const MIN_ITEMS_PER_THREAD: usize = 256;

/// At most this many threads: the work is memory-bound, and more only contend.
const MAX_THREADS: usize = 4;

/// `items.into_iter().map(f).collect()`, in order, with the items split into contiguous
/// chunks, one per core (the calling thread takes the first).
pub(crate) fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let threads = cores.min(MAX_THREADS).min(items.len() / MIN_ITEMS_PER_THREAD).max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items.into_iter();
    for _ in 0..threads {
        chunks.push(rest.by_ref().take(chunk).collect());
    }
    let f = &f;
    std::thread::scope(|scope| {
        let mut chunks = chunks.into_iter();
        let first = chunks.next().unwrap_or_default();
        // A thread that cannot be started leaves its chunk to this one.
        let others: Vec<Result<_, Vec<T>>> = chunks
            .map(|chunk| {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                let spawned = std::thread::Builder::new().name("work".into()).spawn_scoped(
                    scope,
                    move || {
                        let chunk: Vec<T> = rx.recv().unwrap_or_default();
                        chunk.into_iter().map(f).collect::<Vec<U>>()
                    },
                );
                match spawned {
                    Ok(handle) => {
                        let _ = tx.send(chunk);
                        Ok(handle)
                    }
                    Err(_) => Err(chunk),
                }
            })
            .collect();
        let mut out: Vec<U> = first.into_iter().map(f).collect();
        for other in others {
            match other {
                Ok(handle) => match handle.join() {
                    Ok(mapped) => out.extend(mapped),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(chunk) => out.extend(chunk.into_iter().map(f)),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_kept_whatever_the_split() {
        for n in [0, 1, 255, 256, 511, 512, 1000, 4099] {
            let items: Vec<usize> = (0..n).collect();
            let mapped = map(items, |i| i * 2);
            assert_eq!(mapped, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "{n} items");
        }
    }

    #[test]
    fn items_move_into_the_work_and_borrowed_state_is_shared() {
        let words: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
        let suffix = String::from("!");
        let mapped = map(words, |w| w + &suffix);
        assert_eq!(mapped.len(), 2000);
        assert_eq!(mapped[1999], "w1999!");
    }
}
