#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who makes the changes a command records, so every audit entry names somebody.
enum Actor {
    /// `explicit` (`--actor`), else `$CONTACTS_GATEWAY_ACTOR`, else the OS login name — as git
    /// falls back on the account when `user.name` is unset.
    static func resolve(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let configured = EnvironmentVariable.value("CONTACTS_GATEWAY_ACTOR"), !configured.isEmpty {
            return configured
        }
        return loginName()
    }

    /// The account running the process: its password-database name (what `id -un` prints; no
    /// terminal needed, unlike `getlogin`), else `$USER` / `$LOGNAME`, else `uid-N`.
    static func loginName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name, name.pointee != 0 {
            return String(cString: name)
        }
        for variable in ["USER", "LOGNAME"] {
            if let name = EnvironmentVariable.value(variable), !name.isEmpty { return name }
        }
        return "uid-\(geteuid())"
    }
}
