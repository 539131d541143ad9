import ContactsGateway
import JSONCore
import JSONRPC
import Testing
import WixContacts

@Suite struct ErrorMappingTests {
    @Test(arguments: [
        (400, -32000), (401, -32001), (403, -32003), (404, -32004), (409, -32009), (428, -32028), (429, -32029),
        (500, -32050), (503, -32053), (504, -32054),
    ])
    func applicationErrorCodesComeFromTheHTTPStatus(status: Int, code: Int) {
        #expect(GatewayErrors.code(forHTTPStatus: status).rawValue == code)
    }

    @Test func contactsErrorCarriesWixCodesInData() {
        let error = GatewayErrors.response(for: ContactsError.contactAlreadyChanged(currentRevision: 7))
        #expect(error.code.rawValue == -32009)
        #expect(error.data?["applicationCode"] == "CONTACT_ALREADY_CHANGED")
        #expect(error.data?["status"] == "ALREADY_EXISTS")
        #expect(error.data?["httpStatus"] == 409)
        #expect(error.data?["currentRevision"] == 7)
        #expect(error.data?["description"]?.stringValue?.isEmpty == false)
    }

    @Test func unexpectedErrorsAreInternalWithoutDetail() {
        struct Leaky: Error, CustomStringConvertible { var description: String { "SELECT * FROM secret" } }
        let error = GatewayErrors.response(for: Leaky())
        #expect(error.code == .internalError)
        #expect(!error.message.contains("SELECT"))
        #expect(error.data == nil)
    }

    /// A failure that is not a contacts error (here SQLite's) leaves the gateway as it is: the
    /// JSON-RPC server answers it with a generic `-32603` and logs it, so it is not lost.
    @Test func storageFailuresReachTheServerAsTheyAre() async throws {
        let test = try TestGateway()
        try await test.backend.store.database.write { db in try db.execute(sql: "DROP TABLE audit_entry") }
        do {
            _ = try await test.call("contacts.create", ["info": ["name": ["first": "Ada"]]])
            Issue.record("the create succeeded without its audit table")
        } catch let error as ResponseError {
            Issue.record("mapped before the server could log it: \(error)")
        } catch {
            #expect(String(reflecting: error).contains("audit_entry"))
        }
    }

    /// The same for a get answered on the reader thread: it is left to the task path, where a
    /// failure reaches the server (and its log) as it is.
    @Test func storageFailuresOfImmediateGetsGoToTheTaskPath() async throws {
        let test = try TestGateway()
        // A contact the gateway has not seen: answered by reading the store.
        let get = RPCRequest(id: .int(1), method: "contacts.get", params: ["contactId": "id-unseen"])
        guard case .failure(let notFound)? = test.gateway.handleImmediately(get) else {
            Issue.record("a missing contact is answered at once")
            return
        }
        #expect(notFound.data?["applicationCode"]?.stringValue == "CONTACT_NOT_FOUND")
        try await test.backend.store.database.write { db in try db.execute(sql: "ALTER TABLE contact RENAME TO gone") }
        #expect(test.gateway.handleImmediately(get) == nil)
        // A bad param is still answered at once.
        let bad = RPCRequest(id: .int(2), method: "contacts.get", params: ["contactId": ""])
        guard case .failure(let invalid)? = test.gateway.handleImmediately(bad) else {
            Issue.record("a bad param is answered at once")
            return
        }
        #expect(invalid.code == .invalidParams)
    }
}
