import ContactStore
import Hummingbird

/// Holds an answer built from reads until what it may have read is durable, as the gateway
/// does (``ContactStore/AnswerDurability``): the store's commits are readable up to one log
/// sync before they are durable, and a client of the emulator must not be shown one a power
/// loss could undo. An answer to a write of its own already waited for its sync.
struct DurableAnswerMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let store: ContactStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await AnswerDurability.answer(waitingOn: { [store] in await store.waitUntilVisibleChangesAreDurable() }) {
            try await next(request, context)
        }
    }
}
