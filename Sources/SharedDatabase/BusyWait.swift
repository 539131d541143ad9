public import Foundation
import GRDB

/// Waiting out `SQLITE_BUSY` and `SQLITE_LOCKED` where SQLite's busy handler does not.
///
/// The busy timeout covers most lock waits, but not all: SQLite answers busy at once, without
/// calling the handler, when waiting could deadlock (two connections that both read and then
/// want to write, as two processes opening a new file both do when they switch it to WAL), and
/// when a read snapshot went stale before its write. Those are safe to retry from the start of
/// the step, which is what ``retrying(for:_:)`` does, with a short jittered pause between tries.
public enum BusyWait {
    /// Whether `error` is SQLite's "busy" or "locked": another connection holds a lock this one
    /// needs, and the same step may succeed later.
    public static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Runs `step` until it does not fail with busy or locked, for up to `timeout` seconds; then
    /// the last busy error is thrown. Any other error is thrown at once. `step` must be safe to
    /// run again after a busy failure (it is, when it opens, or runs one transaction).
    public static func retrying<T>(for timeout: TimeInterval, _ step: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: TimeInterval = 0.002
        while true {
            do {
                return try step()
            } catch where isBusy(error) && Date() < deadline {
                // Jittered, so processes that collided once do not collide again in step.
                Thread.sleep(forTimeInterval: min(pause * Double.random(in: 0.5...1.5), deadline.timeIntervalSinceNow))
                pause = min(pause * 2, 0.1)
            }
        }
    }
}
