#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import JSONCore
import Logging

/// The reader thread: framing, parsing and dispatch, then the orderly end of the run.
extension ServerSession {
    /// Bytes asked of `read(2)` at a time: large enough that a busy pipe costs few system calls.
    static var readChunkBytes: Int { 64 << 10 }

    /// Runs on the reader thread for the whole life of the run and returns how it ended, after
    /// every response has been written (or the output was found closed).
    func serve() -> StopReason {
        var reason = readUntilStopped()
        if reason == .outputClosed {
            logger.debug("Stopping: the output is closed.")
        }
        // A last line without a newline may have been answered here, after the last chunk's wake.
        writer.wakeIfPending()
        waitUntilIdle()
        let flushed = writer.finish()
        if !flushed { reason = .outputClosed }
        wakeUp.close()
        return reason
    }

    // MARK: - Reading

    private func readUntilStopped() -> StopReason {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readChunkBytes, alignment: 16)
        defer { chunk.deallocate() }
        var framer = LineFramer(maxLineBytes: configuration.maxLineBytes)
        var descriptors = [
            pollfd(fd: configuration.inputFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeUp.readFD, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if let reason = pendingStop { return reason }
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            // Blocks without a timeout: input or a wake-up (signal, closed output) ends it.
            guard poll(&descriptors, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                logger.error("Polling the input failed.", metadata: ["errno": "\(errno)"])
                return .endOfInput
            }
            if descriptors[1].revents != 0 {
                wakeUp.drain()
                continue
            }
            guard descriptors[0].revents != 0 else { continue }
            let count = read(configuration.inputFD, chunk.baseAddress, chunk.count)
            if count == 0 {
                framer.finish(line: handleLine, overlong: answerOverlongLine)
                return .endOfInput
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                logger.error("Reading the input failed.", metadata: ["errno": "\(errno)"])
                framer.finish(line: handleLine, overlong: answerOverlongLine)
                return .endOfInput
            }
            // Errors answered by this thread are not bounded by `maxInFlight`; bound them here.
            writer.waitForSpace()
            framer.consume(
                UnsafeRawBufferPointer(rebasing: chunk[0..<count]),
                line: handleLine,
                overlong: answerOverlongLine
            )
            // The answers given while handling this chunk leave together.
            writer.wakeIfPending()
        }
    }

    // MARK: - Messages

    private func handleLine(_ line: UnsafeBufferPointer<UInt8>) {
        // A line holding one object (nearly every line) is read straight into its envelope's
        // four members, without building the object; a batch or anything else is parsed whole.
        var envelope: (version: JSONValue?, id: JSONValue?, method: JSONValue?, params: JSONValue?) =
            (nil, nil, nil, nil)
        let message: JSONValue?
        do {
            message = try JSONValue.parse(line, picking: MessageDecoder.envelopeNames) { index, value in
                switch index {
                case 0: envelope.version = value
                case 1: envelope.id = value
                case 2: envelope.method = value
                default: envelope.params = value
                }
            }
        } catch {
            logger.trace("Unparsable line.", metadata: ["error": "\(error)"])
            answerNow(.parseError())
            return
        }
        guard let message else {
            let decoded = MessageDecoder.decode(
                version: envelope.version, id: envelope.id, method: envelope.method, params: envelope.params)
            handleDecoded(decoded, sink: .line(writer))
            return
        }
        guard case .array(let elements) = message else {
            handleMessage(message, sink: .line(writer))
            return
        }
        guard !elements.isEmpty else {
            answerNow(.invalidRequest("A batch must not be empty."))
            return
        }
        let batch = BatchCollector(elementCount: elements.count, writer: writer)
        for element in elements {
            handleMessage(element, sink: .batch(batch))
        }
    }

    private func handleMessage(_ message: JSONValue, sink: ResponseSink) {
        handleDecoded(MessageDecoder.decode(message), sink: sink)
    }

    private func handleDecoded(_ decoded: MessageDecoder.Decoded, sink: ResponseSink) {
        switch decoded {
        case .request(let request):
            logger.trace(
                "Request.", metadata: ["method": "\(request.method)", "id": "\(request.id?.description ?? "-")"])
            dispatch(request, sink: sink)
        case .invalid(let id, let reason):
            // Even an invalid message without an id is answered: only a valid notification is not.
            sink.deliver(id: id ?? .null, outcome: .failure(.invalidRequest(reason)))
        }
    }

    private func answerOverlongLine() {
        logger.debug("Skipping an overlong line.", metadata: ["limit": "\(configuration.maxLineBytes)"])
        answerNow(.invalidRequest("The line is longer than \(configuration.maxLineBytes) bytes."))
    }

    /// Answers a message whose id could not be read.
    private func answerNow(_ error: ResponseError) {
        writer.enqueue(ResponseEncoder.line(id: .null, outcome: .failure(error)))
    }
}
