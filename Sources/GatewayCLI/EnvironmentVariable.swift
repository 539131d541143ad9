#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One environment variable, read with `getenv`. `ProcessInfo.environment` copies the whole
/// environment into a dictionary at every use: 0.35 M instructions, and 1 M the first time, when
/// the runtime looks up the dictionary's conformances. A start of `serve` reads five variables.
enum EnvironmentVariable {
    /// The value of `name`; `nil` when it is unset (a variable set to "" is returned as "").
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
