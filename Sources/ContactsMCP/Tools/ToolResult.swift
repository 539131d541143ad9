public import ContactsGateway
public import JSONCore
public import WixContacts

/// The `tools/call` results the server sends: a method's result as `structuredContent` with a
/// short text, or an application failure as `isError: true` with the Wix code and what to do
/// next, so the agent can recover instead of the client seeing a protocol error.
///
/// ```swift
/// ToolResult.success(result, summary: "Contact c-1 is at revision 2.")
/// ToolResult.failure(ContactsError.contactNotFound("c-1"))
/// ```
public enum ToolResult {
    /// A successful call: the short summary, the result as JSON text (MCP's advice for clients
    /// that do not read `structuredContent`), and the result itself as `structuredContent`.
    public static func success(_ result: JSONValue, summary: String) -> JSONValue {
        [
            "content": [text(summary), text(result.serializedString())],
            "structuredContent": result,
            "isError": false,
        ]
    }

    /// An application error: its message, Wix code and next step as text, and the same data
    /// that a JSON-RPC client gets in `error.data` as `structuredContent.error`.
    public static func failure(_ error: ContactsError) -> JSONValue {
        let response = GatewayErrors.response(for: error)
        var data = response.data?.objectValue ?? JSONObject()
        let nextStep = ToolErrorAdvice.nextStep(for: error.code)
        data["message"] = .string(error.message)
        data["nextStep"] = .string(nextStep)
        var details = ""
        for key in ["currentRevision", "duplicateContactId", "fieldViolations", "conflicts"] {
            if let value = error.details[key] { details += " \(key): \(value.serializedString())." }
        }
        return failure(
            text: "\(error.code.rawValue): \(error.message)\(details) Next: \(nextStep)", data: .object(data))
    }

    /// Arguments that do not fit the tool: the param at fault and how to fix it.
    public static func failure(_ error: InvalidParamsError) -> JSONValue {
        let data: JSONValue = [
            "applicationCode": "INVALID_PARAMS", "field": .string(error.field), "message": .string(error.message),
            "nextStep": .string(ToolErrorAdvice.invalidParams),
        ]
        return failure(text: "INVALID_PARAMS: \(error.message) Next: \(ToolErrorAdvice.invalidParams)", data: data)
    }

    private static func failure(text message: String, data: JSONValue) -> JSONValue {
        ["content": [text(message)], "structuredContent": ["error": data], "isError": true]
    }

    private static func text(_ string: String) -> JSONValue {
        ["type": "text", "text": .string(string)]
    }
}
