// swift package --allow-writing-to-package-directory generate-openrpc [--output docs/openrpc.json]
//
// Runs the built `contacts-gateway` on a throwaway database, sends `rpc.discover` on its stdin,
// and writes the OpenRPC document to docs/openrpc.json: keys sorted, two-space indent, one
// trailing newline. The bytes are those of Python's
// `json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"`, so
// scripts/check-openrpc.sh can produce the same file without the plugin. (Foundation's
// JSONSerialization is not used for the output: its `.sortedKeys` order and number formatting
// differ between platforms, and the document holds 64-bit integers.)

import Foundation
import PackagePlugin

@main
struct GenerateOpenRPC: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let outputPath = extractor.extractOption(named: "output").last ?? "docs/openrpc.json"
        let output = context.package.directoryURL.appending(path: outputPath)

        let tool = try context.tool(named: "contacts-gateway")
        let database = context.pluginWorkDirectoryURL.appending(path: "openrpc-\(UUID().uuidString).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: database.path + suffix)
            }
        }

        let response = try discover(tool: tool.url, database: database, timeout: 60)
        guard case .object(let members) = try JSONValue.parse(response) else {
            throw GenerateError("rpc.discover: the response is not a JSON object: \(response.prefix(200))")
        }
        if let error = members.first(where: { $0.key == "error" })?.value {
            throw GenerateError("rpc.discover failed: \(error.pretty())")
        }
        guard let document = members.first(where: { $0.key == "result" })?.value else {
            throw GenerateError("rpc.discover: the response has no result")
        }

        try FileManager.default.createDirectory(
            at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((document.pretty() + "\n").utf8).write(to: output, options: .atomic)
        print("Wrote \(output.path)")
    }

    /// One `rpc.discover` round trip; returns the response line. Kills the tool after `timeout` s.
    private func discover(tool: URL, database: URL, timeout: TimeInterval) throws -> String {
        let process = Process()
        process.executableURL = tool
        process.arguments = ["--db", database.path, "--log-level", "error"]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()

        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }

        // End of stdin: the gateway answers, flushes and exits 0.
        stdin.fileHandleForWriting.write(Data(#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}"#.utf8 + [0x0A]))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GenerateError(
                "\(tool.path) did not exit cleanly (status \(process.terminationStatus)"
                    + (process.terminationReason == .uncaughtSignal ? ", killed after \(Int(timeout)) s" : "") + ")")
        }
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first else {
            throw GenerateError("\(tool.path) wrote no response to rpc.discover")
        }
        return String(line)
    }
}

struct GenerateError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Just enough JSON: numbers keep their literal text, objects keep their members.
enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func parse(_ text: String) throws -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.failure("trailing characters") }
        return value
    }

    /// Python's `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`.
    func pretty(indent: Int = 0) -> String {
        let inner = String(repeating: " ", count: 2 * (indent + 1))
        let outer = String(repeating: " ", count: 2 * indent)
        switch self {
        case .object(let members) where members.isEmpty: return "{}"
        case .array(let items) where items.isEmpty: return "[]"
        case .object(let members):
            // Python sorts keys by code point.
            let sorted = members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            let lines = sorted.map { inner + Self.quote($0.key) + ": " + $0.value.pretty(indent: indent + 1) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + outer + "}"
        case .array(let items):
            let lines = items.map { inner + $0.pretty(indent: indent + 1) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + outer + "]"
        case .string(let string): return Self.quote(string)
        case .number(let literal): return literal
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return "null"
        }
    }

    /// Python's escaping with `ensure_ascii=False`: quote, backslash and control characters only.
    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func failure(_ what: String) -> GenerateError { GenerateError("invalid JSON at byte \(index): \(what)") }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ literal: String) throws {
            let literalBytes = Array(literal.utf8)
            guard bytes.count - index >= literalBytes.count,
                Array(bytes[index..<index + literalBytes.count]) == literalBytes
            else { throw failure("expected \(literal)") }
            index += literalBytes.count
        }

        mutating func value() throws -> JSONValue {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, value: JSONValue)] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    let key = try string()
                    skipWhitespace()
                    try expect(":")
                    members.append((key, try value()))
                    skipWhitespace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect("}")
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONValue] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipWhitespace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect("]")
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func number() throws -> String {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start else { throw failure("unexpected character") }
            let literal = String(decoding: bytes[start..<index], as: UTF8.self)
            // Integers print the same everywhere; a fraction or exponent would be reformatted by
            // Python, so the fallback could not match byte for byte.
            guard literal.allSatisfy({ $0 == "-" || $0.isNumber }) else {
                throw GenerateError("non-integer number \(literal) in the document: teach both printers about floats")
            }
            return literal
        }

        mutating func string() throws -> String {
            try expect("\"")
            var scalars = String.UnicodeScalarView()
            var run = index  // start of the current unescaped run
            func flush(_ parser: Parser, upTo end: Int) {
                scalars.append(contentsOf: String(decoding: parser.bytes[run..<end], as: UTF8.self).unicodeScalars)
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    flush(self, upTo: index)
                    index += 1
                    return String(scalars)
                }
                guard byte == UInt8(ascii: "\\") else { index += 1; continue }
                flush(self, upTo: index)
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), bytes[index...].starts(with: Array("\\u".utf8)) {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: scalars.append(Unicode.Scalar(escape))  // \" \\ \/
                }
                run = index
            }
            throw failure("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4,
                let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw failure("bad \\u escape") }
            index += 4
            return code
        }
    }
}
