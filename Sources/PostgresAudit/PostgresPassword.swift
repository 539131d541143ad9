import Foundation
import WixContacts

/// Where a password for a ``PostgresEndpoint`` comes from, in libpq's order: `PGPASSWORD`; then
/// a file named by `CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE` (for secrets mounted as files); then
/// the password file (`PGPASSFILE`, else `~/.pgpass`). None found: no password (trust or peer
/// authentication, as on a Unix socket).
enum PostgresPassword {
    /// The variable naming a file that holds the password.
    static let fileVariable = "CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE"

    static func lookUp(for endpoint: PostgresEndpoint, environment: [String: String]) throws -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        if let path = environment[fileVariable], !path.isEmpty {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ContactsError.invalidArgument([
                    FieldViolation(
                        field: fileVariable, description: "The password file named by \(fileVariable) cannot be read.",
                        violatedRule: "FORMAT")
                ])
            }
            return String(text.prefix(while: { $0 != "\n" && $0 != "\r" }))
        }
        let passFile =
            environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let passFile, let text = try? String(contentsOfFile: passFile, encoding: .utf8) else { return nil }
        return match(in: text, endpoint: endpoint)
    }

    /// The password of the first line of a `.pgpass` file that matches
    /// `hostname:port:database:username:password` (`*` matches anything; `\` escapes `:` and `\`).
    /// A Unix socket matches `localhost`, as in libpq.
    static func match(in text: String, endpoint: PostgresEndpoint) -> String? {
        let (host, port): (String, Int) =
            switch endpoint.transport {
            case .tcp(let host, let port): (host, port)
            case .unixSocket(_, let port): ("localhost", port)
            }
        let wanted = [host, String(port), endpoint.database, endpoint.username]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
