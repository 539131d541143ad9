import Hummingbird
import JSONCore
import WixContacts

/// A request's JSON object body, with typed readers that fail as Wix does: a `validationError`
/// naming the field.
struct RequestJSON {
    /// The members of the body.
    let object: JSONObject

    /// Reads and parses the body; an empty body reads as `{}`.
    ///
    /// - Throws: `INVALID_ARGUMENT` (400 `validationError`) when the body is not a JSON object.
    static func read(_ request: Request, context: EmulatorRequestContext) async throws -> RequestJSON {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as HTTPError {
            throw error  // too large: an answer the client can read
        } catch {
            throw UnreadableRequestBody(underlying: error)
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return RequestJSON(object: JSONObject())
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw WixResponse.invalid("body", "The request body is not valid JSON (\(error.reason)).", rule: "FORMAT")
        }
        guard case .object(let object) = value else {
            throw WixResponse.invalid("body", "The request body must be a JSON object.", rule: "TYPE")
        }
        return RequestJSON(object: object)
    }

    /// The value of `key`, or `nil` when it is absent or `null`.
    subscript(key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// A required member.
    func required(_ key: String, path: String? = nil) throws(ContactsError) -> JSONValue {
        guard let value = self[key] else {
            throw WixResponse.invalid(path ?? key, "The field '\(path ?? key)' is required.", rule: "REQUIRED")
        }
        return value
    }

    /// An optional boolean, `false` when absent.
    func bool(_ key: String) throws(ContactsError) -> Bool {
        guard let value = self[key] else { return false }
        guard let bool = value.boolValue else {
            throw WixResponse.invalid(key, "The field '\(key)' must be a boolean.", rule: "TYPE")
        }
        return bool
    }

    /// A required string that is not empty.
    func string(_ key: String) throws(ContactsError) -> String {
        guard let string = try required(key).stringValue, !string.isEmpty else {
            throw WixResponse.invalid(key, "The field '\(key)' must be a non-empty string.", rule: "TYPE")
        }
        return string
    }

    /// A required integer; a string of digits is accepted too, as Wix does for 64-bit numbers.
    func int(_ key: String) throws(ContactsError) -> Int {
        let value = try required(key)
        if let int = value.intValue { return int }
        if let text = value.stringValue, let int = Int(text) { return int }
        throw WixResponse.invalid(key, "The field '\(key)' must be an integer.", rule: "TYPE")
    }
}

/// The body could not be read because the client went away or sent broken HTTP. Not an API
/// error: ``WixErrorMiddleware`` hands the original error back to Hummingbird, which closes the
/// connection instead of answering.
struct UnreadableRequestBody: Error {
    let underlying: any Error
}
