//! Work taken off the one thread a command's user waits on, once its lists are read: what is
//! left runs on that thread alone while the other cores idle (in `history -A` on 50,000 Jobs
//! and pods, freeing everything at the end was 7% of the samples, all after the last list
//! arrived).

/// Drops `value` on a thread of its own. Freeing what a command read (100,000 decoded Jobs,
/// pods and runs) is the last thing it does; the process then exits without waiting for that,
/// and a caller that goes on (the fan-out over contexts) still gets the memory back. Dropped
/// here if no thread can be started.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("drop".into()).spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_dropped_later_is_dropped() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        struct Signal(std::sync::mpsc::Sender<()>);
        impl Drop for Signal {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        drop_later(Signal(tx));
        assert!(rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok());
    }
}
