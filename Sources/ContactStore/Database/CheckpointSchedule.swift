/// When to checkpoint the write-ahead log, and where: the bookkeeping behind
/// ``BackgroundCheckpointer``, kept apart from SQLite so it can be tested on its own.
///
/// It counts the log pages not yet copied into the database file. Past `thresholdPages` a
/// checkpoint starts in the background. A log restarts only when a write begins while every
/// page in it has been copied, which a background checkpoint beside a busy writer never reaches
/// (the writer commits more while it copies); so once the background has left no more than
/// `catchUpPages`, the writer copies the rest itself after its next commit, and the write after
/// that starts the log again. Should the background fall behind, the writer copies inline once
/// twice the threshold is waiting, as SQLite's own automatic checkpoint would.
struct CheckpointSchedule {
    /// What the writer does after a commit.
    enum Action: Equatable {
        case none
        /// Checkpoint on the writer connection, now.
        case inline
        /// Start a background checkpoint.
        case background
    }

    let thresholdPages: Int32
    let catchUpPages: Int32
    /// Pages in the log at the latest commit or checkpoint seen.
    private(set) var logPages: Int32 = 0
    /// Pages of that log known to be copied into the database file.
    private(set) var copiedPages: Int32 = 0
    private(set) var isBackgroundRunning = false
    private var wantsCatchUp = false

    init(thresholdPages: Int32) {
        self.thresholdPages = thresholdPages
        // At most 250: a catch-up's cost is the database file's sync of what it copied, and on
        // a disk that writes each scattered page on its own that grows with every page.
        catchUpPages = min(max(thresholdPages / 32, 64), 250)
    }

    /// Pages waiting to be copied.
    var waitingPages: Int32 { logPages - copiedPages }

    /// The writer has committed and the log now holds `logPages`.
    mutating func writerCommitted(logPages pages: Int32) -> Action {
        // A log smaller than last time has restarted: nothing in it is copied yet.
        if pages < logPages { copiedPages = 0 }
        logPages = pages
        if wantsCatchUp || waitingPages >= 2 * thresholdPages {
            wantsCatchUp = false
            return .inline
        }
        guard waitingPages >= thresholdPages, !isBackgroundRunning else { return .none }
        isBackgroundRunning = true
        return .background
    }

    /// A checkpoint saw a log of `log` pages and copied the first `copied`.
    mutating func checkpointed(log: Int32, copied: Int32) {
        if log >= logPages {
            logPages = log
            copiedPages = copied
        } else {
            // The writer has committed more since this checkpoint looked at the log.
            copiedPages = max(copiedPages, copied)
        }
    }

    /// After one background round: whether the background should stop, either because the
    /// writer can now copy the rest (it will, after its next commit) or because it gives up
    /// for now (`lastRound`: the next commit past the threshold starts it again).
    mutating func backgroundRoundEnded(lastRound: Bool) -> Bool {
        if waitingPages <= catchUpPages { wantsCatchUp = true }
        let stop = wantsCatchUp || lastRound
        if stop { isBackgroundRunning = false }
        return stop
    }
}
