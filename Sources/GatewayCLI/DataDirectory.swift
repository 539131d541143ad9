import ContactStore
import ContactsGateway
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the database lives by default, and creating it with private permissions.
enum DataDirectory {
    /// `$XDG_DATA_HOME/contacts-gateway/contacts.sqlite`, else `~/.local/share/...` (Linux) or
    /// `~/Library/Application Support/...` (macOS).
    static func defaultDatabasePath() -> String {
        let home = EnvironmentVariable.value("HOME") ?? NSHomeDirectory()
        let base: String
        if let xdg = EnvironmentVariable.value("XDG_DATA_HOME"), xdg.hasPrefix("/") {
            base = xdg
        } else {
            #if os(macOS)
                base = home + "/Library/Application Support"
            #else
                base = home + "/.local/share"
            #endif
        }
        return base + "/contacts-gateway/contacts.sqlite"
    }

    /// Creates the parent directory (0700) and the database file (0600) if missing, so the
    /// contact data is never readable by other users: for the local backend, from the template
    /// of a new file (``ContactsGateway/FreshDatabaseFile``), else empty. SQLite gives its -wal
    /// and -shm files the database file's permissions, and the store gives its -epoch file the
    /// same.
    static func prepare(databaseAt path: String, fromTemplate: Bool) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if fromTemplate, FreshDatabaseFile.create(at: path, startedAt: StoreConfiguration().clock()) != .unavailable {
            return
        }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        close(fd)
    }
}
