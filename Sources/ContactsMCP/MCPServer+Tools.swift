import ContactsGateway
import JSONCore
import JSONRPC
import WixContacts

/// `tools/call`.
extension MCPServer {
    /// Runs a tool: application failures become `isError` results the agent can act on; an
    /// unknown tool or a malformed request is a protocol error; anything unexpected reaches the
    /// server (`-32603`, logged), and a cancellation `-32800`.
    func callTool(_ params: JSONValue?, context: RequestContext, scope: MCPRequestScope) async throws -> JSONValue {
        guard let name = params?["name"]?.stringValue else { throw MCPErrors.badParam("name", "a string") }
        guard let tool = tools.tool(named: name) else { throw MCPErrors.unknownTool(name) }
        let arguments = params?["arguments"]
        if let arguments, arguments.objectValue == nil, !arguments.isNull {
            throw MCPErrors.badParam("arguments", "an object")
        }
        do {
            let validated = try MethodParams(
                validating: arguments?.isNull == true ? nil : arguments, against: tool.params)
            let result = try await methods.call(tool.descriptor, params: validated, context: context)
            let summary = ResultSummary.line(method: tool.descriptor.name, result: try result.resolvingRaw())
            MCPNotifications.log(tool.descriptor.hints.readOnly ? .debug : .notice, summary, minimum: scope.logLevel)
            return ToolResult.success(result, summary: summary)
        } catch let error as InvalidParamsError {
            MCPNotifications.log(.warning, "\(name): \(error.message)", minimum: scope.logLevel)
            return ToolResult.failure(error)
        } catch let error as ContactsError {
            MCPNotifications.log(.warning, "\(name): \(error.code.rawValue): \(error.message)", minimum: scope.logLevel)
            return ToolResult.failure(error)
        }
    }
}
