import ContactsGateway
import JSONCore
import JSONRPC
import Testing

/// The protocol-neutral method layer: descriptors a second front end can read and call without
/// JSON-RPC.
@Suite struct MethodLayerTests {
    @Test func hintsSayWhatEachMethodDoesToTheData() throws {
        let methods = try TestGateway().gateway.gatewayMethods
        let readOnly = Set(methods.methods.values.filter(\.hints.readOnly).map(\.name))
        #expect(
            readOnly == [
                "contacts.get", "contacts.query", "audit.history", "audit.get", "gateway.status", "rpc.discover", "labels.list",
                "extendedFields.list", "contacts.previewMerge", "audit.runs", "audit.verify",
            ])
        let writes = methods.methods.values.filter { !$0.hints.readOnly }
        #expect(
            Set(writes.map(\.name)) == [
                "contacts.update", "contacts.forceUpdate", "contacts.create", "contacts.undo", "labels.findOrCreate",
                "extendedFields.findOrCreate", "contacts.delete", "contacts.label", "contacts.unlabel", "contacts.merge",
                "contacts.bulkUpdate", "contacts.bulkDelete", "contacts.bulkLabel", "contacts.bulkUnlabel", "labels.delete",
                "audit.sync",
            ])
        #expect(
            Set(writes.filter(\.hints.idempotent).map(\.name)) == [
                "labels.findOrCreate", "extendedFields.findOrCreate", "contacts.label", "contacts.unlabel",
                "contacts.bulkLabel", "contacts.bulkUnlabel", "audit.sync",
            ])
        #expect(
            Set(methods.methods.values.filter(\.hints.destructive).map(\.name)) == [
                "contacts.delete", "contacts.merge", "contacts.bulkDelete", "labels.delete",
            ])
    }

    @Test func methodsAreCalledWithANeutralContext() async throws {
        let test = try TestGateway()
        let methods = test.gateway.gatewayMethods
        let created = try await methods.call(
            "contacts.create", params: ["info": ["name": ["first": "Ada"]]],
            context: RequestContext(actor: "mcp-client", requestId: "tool-1")
        ).resolvingRaw()
        let id = try #require(created["contact"]?["id"]?.stringValue)
        let entry = try await methods.call(
            "audit.get", params: ["auditId": 1], context: .init(actor: nil, requestId: nil))
        #expect(entry["entry"]?["actor"] == "mcp-client")
        #expect(entry["entry"]?["requestId"] == "tool-1")
        // Without an actor in the context or the params, the default actor is recorded.
        _ = try await methods.call(
            "contacts.update", params: ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]],
            context: .init(actor: nil, requestId: nil))
        let second = try await methods.call(
            "audit.get", params: ["auditId": 2], context: .init(actor: nil, requestId: nil))
        #expect(second["entry"]?["actor"] == "tester")
    }

    @Test func paramProblemsAreNeutralErrorsNamingTheField() async throws {
        let methods = try TestGateway().gateway.gatewayMethods
        let context = RequestContext(actor: nil, requestId: nil)
        await #expect(throws: InvalidParamsError(field: "contactId", message: "Missing param 'contactId'.")) {
            _ = try await methods.call("contacts.get", params: [:], context: context)
        }
        await #expect(
            throws: InvalidParamsError(
                field: "paging.limit", message: "Param 'paging.limit' must be an integer from 1 to 1000.")
        ) {
            _ = try await methods.call("contacts.query", params: ["paging": ["limit": 1001]], context: context)
        }
        await #expect(throws: MethodNotFoundError(name: "contacts.nothing")) {
            _ = try await methods.call("contacts.nothing", params: nil, context: context)
        }
        // The JSON-RPC adapter answers the same problem with -32602 and data.field.
        let response = GatewayErrors.response(for: InvalidParamsError(field: "revision", message: "Bad."))
        #expect(response == ResponseError(code: .invalidParams, message: "Bad.", data: ["field": "revision"]))
    }

    /// Every request looks its method up by name (in a table of its own, not the public
    /// dictionary): each method is found as itself, and near misses are not found.
    @Test func everyMethodIsFoundByItsNameAndNoOtherName() throws {
        let methods = try TestGateway().gateway.gatewayMethods
        #expect(methods.methods.count > 20)
        for name in methods.methods.keys {
            #expect(methods.descriptor(named: name)?.name == name)
            // A copy built at run time, not the literal the table holds.
            let rebuilt = String(decoding: Array(name.utf8), as: UTF8.self)
            #expect(methods.descriptor(named: rebuilt)?.name == name)
            for miss in [String(name.dropLast()), name + "s", name.uppercased(), " " + name, name + "\u{0}"] {
                #expect(methods.descriptor(named: miss) == nil, "\(miss.debugDescription)")
            }
        }
        let misses = ["", "c", "contacts", "contacts.", "rpc.discover.", "x.contacts.get", String(repeating: "a", count: 200)]
        for miss in misses {
            #expect(methods.descriptor(named: miss) == nil)
            #expect(methods.orderingKeys(miss, params: ["contactId": "c-1"]) == [])
            #expect(try methods.callImmediately(miss, params: ["contactId": "c-1"]) == nil)
        }
    }

    @Test func descriptorsPublishTheirParamSchemasAndResult() throws {
        let methods = try TestGateway().gateway.gatewayMethods
        let update = try #require(methods.descriptor(named: "contacts.update"))
        #expect(update.result.name == "UpdateResult")
        let revision = try #require(update.params.first { $0.name == "revision" })
        #expect(revision.required)
        #expect(revision.schema["type"] == "integer")
        let info = try #require(update.params.first { $0.name == "info" })
        #expect(info.schema == ["$ref": "#/components/schemas/ContactInfo"])
        #expect(update.errors.contains("CONTACT_ALREADY_CHANGED"))
        // The whole params object, as a tool's input schema.
        let schema = update.paramsSchema
        #expect(schema["required"] == ["contactId", "info", "revision"])
        #expect(schema["additionalProperties"] == false)
        #expect(schema["properties"]?["revision"]?["type"] == "integer")
        #expect(schema["properties"]?["dryRun"]?["description"]?.stringValue?.isEmpty == false)
    }

    @Test func theLocalBackendAnswersGetsAtOnceThroughItsCapabilities() async throws {
        let test = try TestGateway()
        let capabilities = test.backend.capabilities
        #expect(capabilities.supportsDryRun && capabilities.supportsMembers && capabilities.fastReader != nil)
        let id = try await test.createContact(first: "Ada")
        let methods = test.gateway.gatewayMethods
        let answer = try methods.callImmediately("contacts.get", params: ["contactId": .string(id)])
        #expect(try answer?.resolvingRaw()["contact"]?["id"]?.stringValue == id)
        // Only methods with a way to answer at once are answered so.
        #expect(try methods.callImmediately("contacts.query", params: nil) == nil)
        #expect(try methods.callImmediately("contacts.nothing", params: nil) == nil)
    }
}
