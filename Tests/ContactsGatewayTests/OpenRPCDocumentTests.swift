import ContactsGateway
import JSONCore
import JSONRPC
import Testing

@Suite struct OpenRPCDocumentTests {
    @Test func documentListsExactlyTheMethodsTheDispatcherServes() async throws {
        let gateway = try TestGateway()
        let document = try await gateway.call("rpc.discover")
        let documented = Set(document["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
        #expect(documented == Set(gateway.gateway.methodNames))
        #expect(
            documented.isSuperset(of: [
                "contacts.get", "contacts.update", "contacts.forceUpdate", "contacts.create", "contacts.query",
                "contacts.undo", "audit.history", "audit.get", "labels.findOrCreate", "extendedFields.findOrCreate",
                "gateway.status", "rpc.discover",
            ]))
        #expect(document["openrpc"]?.stringValue?.hasPrefix("1.3") == true)
    }

    @Test func documentedParamsAreExactlyTheAcceptedParams() async throws {
        let gateway = try TestGateway()
        let document = try await gateway.call("rpc.discover")
        for method in document["methods"]?.arrayValue ?? [] {
            let name = try #require(method["name"]?.stringValue)
            let params = method["params"]?.arrayValue ?? []
            let descriptor = try #require(gateway.gateway.methods[name])
            #expect(params.compactMap { $0["name"]?.stringValue } == descriptor.params.map(\.name), "\(name)")
            // Leaving out the documented required params is rejected naming one of them.
            let required = params.filter { $0["required"] == true }.compactMap { $0["name"]?.stringValue }
            if !required.isEmpty {
                let error = await gateway.failure(name, [:])
                #expect(error?.code == .invalidParams, "\(name)")
                #expect(required.contains(error?.data?["field"]?.stringValue ?? ""), "\(name)")
            }
            // A param the document does not list is rejected naming it.
            let error = await gateway.failure(name, ["notAParam": true])
            #expect(error?.code == .invalidParams, "\(name)")
            #expect(error?.data?["field"]?.stringValue == "notAParam", "\(name)")
        }
    }

    @Test func everyDocumentedMethodHasResultAndErrors() async throws {
        let gateway = try TestGateway()
        let document = try await gateway.call("rpc.discover")
        for method in document["methods"]?.arrayValue ?? [] {
            #expect(method["result"]?["schema"] != nil)
            let codes = method["errors"]?.arrayValue?.compactMap { $0["code"]?.intValue } ?? []
            #expect(codes.contains(-32602))
        }
    }
}
