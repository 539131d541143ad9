public import JSONCore
import JSONRPC
import WixContacts

/// The OpenRPC 1.3 document `rpc.discover` returns, built from the same ``MethodDescriptor``s the
/// dispatcher validates with.
public enum OpenRPCDocument {
    /// The document for these methods.
    public static func make(methods: [MethodDescriptor]) -> JSONValue {
        [
            "openrpc": "1.3.2",
            "info": [
                "title": "contacts-gateway",
                "version": .string(GatewayMethods.version),
                "description": "JSON-RPC 2.0 over stdio for the Wix Contacts v4 API, with an audit log and undo.",
            ],
            "methods": .array(methods.map(method)),
            "components": ["schemas": OpenRPCSchemas.all],
        ]
    }

    private static func method(_ descriptor: MethodDescriptor) -> JSONValue {
        var errors: [JSONValue] = [
            error(.invalidParams, "Unknown, missing or mistyped params; data.field names the param."),
            error(.internalError, "The gateway failed unexpectedly."),
            error(.requestCancelled, "The request was cancelled with $/cancelRequest."),
        ]
        for code in descriptor.errors {
            let wixCode = ContactsError.Code(rawValue: code)
            errors.append([
                "code": .int(GatewayErrors.code(forHTTPStatus: wixCode.defaultHTTPStatus).rawValue),
                "message": .string(wixCode.defaultMessage),
                "data": ["applicationCode": .string(code)],
            ])
        }
        return [
            "name": .string(descriptor.name),
            "summary": .string(descriptor.summary),
            "paramStructure": "by-name",
            "params": .array(
                descriptor.params.map { spec in
                    [
                        "name": .string(spec.name), "required": .bool(spec.required), "summary": .string(spec.summary),
                        "schema": spec.schema,
                    ]
                }),
            "result": ["name": .string(descriptor.result.name), "schema": descriptor.result.schema],
            "errors": .array(errors),
        ]
    }

    private static func error(_ code: ErrorCode, _ message: String) -> JSONValue {
        ["code": .int(code.rawValue), "message": .string(message)]
    }
}
