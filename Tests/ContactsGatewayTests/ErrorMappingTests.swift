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
}
