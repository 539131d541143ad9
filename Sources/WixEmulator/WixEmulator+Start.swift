import ContactStore
public import Foundation
import Hummingbird
import WixContacts

extension WixEmulator {
    /// Starts serving in a background task and returns once the server listens.
    ///
    /// - Throws: The server's error when it cannot bind.
    public func start() async throws -> RunningWixEmulator {
        try await start(removingWhenStopped: nil)
    }

    /// Opens a store (a fresh temporary file unless `databasePath` is given), starts an emulator
    /// over it and returns once it listens.
    ///
    /// ```swift
    /// let running = try await WixEmulator.start()
    /// print(running.baseURL)   // http://127.0.0.1:49152
    /// await running.stop()     // also deletes the temporary database
    /// ```
    public static func start(
        databasePath: String? = nil, configuration: EmulatorConfiguration = EmulatorConfiguration()
    ) async throws -> RunningWixEmulator {
        let (path, temporaryDirectory) = try databaseLocation(databasePath)
        let store = try ContactStore(path: path)
        return try await WixEmulator(store: store, configuration: configuration)
            .start(removingWhenStopped: temporaryDirectory)
    }

    /// `path` when given; else a database file in a new temporary directory, which the caller
    /// removes when done.
    public static func databaseLocation(_ path: String?) throws -> (path: String, temporaryDirectory: URL?) {
        if let path { return (path, nil) }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wix-emulator-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory.appendingPathComponent("contacts.sqlite").path, directory)
    }

    private func start(removingWhenStopped directory: URL?) async throws -> RunningWixEmulator {
        typealias Listening = (port: Int, closeListener: @Sendable () async -> Void)
        let (listening, continuation) = AsyncStream.makeStream(of: Listening.self)
        let application = makeApplication { port, closeListener in
            continuation.yield((port, closeListener))
            continuation.finish()
        }
        let task = Task {
            // If the server fails before it listens, this ends the wait below.
            defer { continuation.finish() }
            try await application.run()
        }
        var iterator = listening.makeAsyncIterator()
        guard let (port, closeListener) = await iterator.next() else {
            try await task.value
            throw ContactsError(.unavailable, message: "The emulator stopped before it started listening.")
        }
        return RunningWixEmulator(
            emulator: self, port: port, task: task, closeListener: closeListener, temporaryDirectory: directory)
    }
}

/// An emulator serving in the background, started by ``WixEmulator/start()``.
public final class RunningWixEmulator: Sendable {
    /// The emulator (its store, faults and request counts).
    public let emulator: WixEmulator
    /// The bound port on 127.0.0.1.
    public let port: Int
    /// `http://127.0.0.1:<port>`, the base URL to give a Wix client.
    public let baseURL: URL
    private let task: Task<Void, any Error>
    private let closeListener: @Sendable () async -> Void
    private let temporaryDirectory: URL?

    init(
        emulator: WixEmulator, port: Int, task: Task<Void, any Error>,
        closeListener: @escaping @Sendable () async -> Void, temporaryDirectory: URL?
    ) {
        self.emulator = emulator
        self.port = port
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
        self.task = task
        self.closeListener = closeListener
        self.temporaryDirectory = temporaryDirectory
    }

    /// Stops the server, waits for it to finish, and removes a temporary database it created.
    /// Safe to call more than once.
    public func stop() async {
        // Stop accepting first, then cancel the open connections (keep-alive ones would wait).
        await closeListener()
        task.cancel()
        _ = await task.result
        if let temporaryDirectory {
            try? FileManager.default.removeItem(at: temporaryDirectory)
        }
    }
}
