import Foundation
import FreshDatabaseTemplate
import WixContacts

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new embedded-backend database file, written from a template of the finished empty file
/// instead of created by SQL.
///
/// Creating the store's and its audit log's schema was most of a new file's start: SQLite parses
/// each of about fifty `CREATE` statements twice (to run it, then to read the new object back
/// from `sqlite_schema`). The template is that file as the migrations leave it, packed into the
/// binary (`FreshDatabaseTemplate`); `FreshDatabaseTemplateTests` check it against the migrations
/// and write it again when they change. Its one value of its own, the moment the hash chain
/// starts (`audit_chain_start.started_at`), is a placeholder of the same length, replaced by the
/// file's creation time.
///
/// The file appears whole or not at all: the bytes go to a file of their own beside `path`,
/// are synced, and are then linked to `path`, which fails when another process created it
/// first (that file is then used). A name lost to a power cut leaves no file, and the next start
/// creates it again; SQLite syncs the directory when the file's log is first synced.
public enum FreshDatabaseFile {
    /// The chain's start in the template: a date no file is created at, 24 bytes like any other.
    static let placeholderDate = "2000-01-01T00:00:00.000Z"

    /// What ``create(at:startedAt:)`` did.
    public enum Outcome: Equatable, Sendable {
        /// `path` was created from the template.
        case created
        /// A file was there already (or another process created it meanwhile): left as it is.
        case existing
        /// The template could not be used (none in this build, a log without its file beside
        /// `path`, or a write failed): nothing was created, and the caller creates the file as
        /// before.
        case unavailable
    }

    /// Creates the database at `path` (mode 0600) from the template, the chain starting at
    /// `millis` (milliseconds since 1970), unless a file is there already.
    public static func create(at path: String, startedAt millis: Int64) -> Outcome {
        if access(path, F_OK) == 0 { return .existing }
        // A log left by a file deleted without it would be replayed onto the template: the file
        // is then created as before, and SQLite deals with the log as it always did.
        if access(path + "-wal", F_OK) == 0 { return .unavailable }
        guard let bytes = bytes(startedAt: Timestamp.rfc3339(millisecondsSince1970: millis)) else {
            return .unavailable
        }
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary =
            (directory.isEmpty ? "" : directory + "/") + ".\(name).new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(temporary) }
        guard writeFile(bytes, to: temporary) else { return .unavailable }
        if link(temporary, path) == 0 { return .created }
        return errno == EEXIST ? .existing : .unavailable
    }

    /// The template's bytes with `date` (RFC 3339 with milliseconds) as the chain's start; `nil`
    /// when this build has no template or it does not unpack.
    static func bytes(startedAt date: String) -> [UInt8]? {
        let size = fresh_database_template_size()
        guard size > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let unpacked = bytes.withUnsafeMutableBufferPointer { buffer in
            fresh_database_template_unpack(buffer.baseAddress, buffer.count)
        }
        guard unpacked == 1 else { return nil }
        let placeholder = Array(placeholderDate.utf8)
        let replacement = Array(date.utf8)
        guard replacement.count == placeholder.count else { return nil }
        let replaced = bytes.withUnsafeMutableBufferPointer { buffer in
            fresh_database_template_replace(
                buffer.baseAddress, buffer.count, placeholder, replacement, placeholder.count)
        }
        return replaced == 1 ? bytes : nil
    }

    /// Writes `bytes` to a new file at `path` (0600) and syncs it.
    private static func writeFile(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        #if os(macOS)
            return fsync(fd) == 0
        #else
            return fdatasync(fd) == 0
        #endif
    }
}
