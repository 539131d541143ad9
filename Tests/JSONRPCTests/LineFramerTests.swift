@testable import JSONRPC
import Testing

/// The framing rules without pipes: where lines end, what is skipped, and that memory stays
/// bounded.
@Suite("LineFramer")
struct LineFramerTests {
    /// Feeds `chunks` and returns the lines and the number of overlong reports.
    private func frame(_ chunks: [String], maxLineBytes: Int = 64, finish: Bool = true) -> (
        lines: [String], overlong: Int
    ) {
        var framer = LineFramer(maxLineBytes: maxLineBytes)
        var lines: [String] = []
        var overlong = 0
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { bytes in
                framer.consume(
                    bytes, line: { lines.append(String(decoding: $0, as: UTF8.self)) }, overlong: { overlong += 1 })
            }
        }
        if finish {
            framer.finish(line: { lines.append(String(decoding: $0, as: UTF8.self)) }, overlong: { overlong += 1 })
        }
        return (lines, overlong)
    }

    @Test func linesSplitAcrossReadsAreJoined() {
        let result = frame(["{\"a\"", ":1}\n{\"b\":2}\n{", "\"c\":3}\n"])
        #expect(result.lines == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
    }

    @Test func crlfEndingsLoseTheirCarriageReturn() {
        let result = frame(["one\r\ntwo\r", "\nthree\n"])
        #expect(result.lines == ["one", "two", "three"])
    }

    @Test func blankAndWhitespaceOnlyLinesAreSkipped() {
        let result = frame(["\n\n  \t \r\nx\n \n"])
        #expect(result.lines == ["x"])
    }

    @Test func lastLineWithoutNewlineIsDeliveredAtEndOfInput() {
        #expect(frame(["a\nb"]).lines == ["a", "b"])
        #expect(frame(["a\nb"], finish: false).lines == ["a"])
    }

    @Test func lineAtTheLimitIsAcceptedAndOneByteMoreIsNot() {
        let exact = String(repeating: "x", count: 64)
        #expect(frame([exact + "\r\n"]) == ([exact], 0))
        #expect(frame([exact + "y\n", "ok\n"]) == (["ok"], 1))
    }

    @Test func overlongLineIsReportedOnceAndSkippedToItsNewline() {
        let long = String(repeating: "z", count: 100)
        let result = frame(["first\n", String(long.prefix(40)), String(long.dropFirst(40)), "\nsecond\n"])
        #expect(result.lines == ["first", "second"])
        #expect(result.overlong == 1)
    }

    @Test func overlongLineIsNotBuffered() {
        var framer = LineFramer(maxLineBytes: 1024)
        let piece = [UInt8](repeating: UInt8(ascii: "q"), count: 64 << 10)
        var overlong = 0
        var lines: [String] = []
        var largestBuffer = 0
        for _ in 0..<64 {  // 4 MiB of one line
            piece.withUnsafeBytes { framer.consume($0, line: { _ in lines.append("?") }, overlong: { overlong += 1 }) }
            largestBuffer = max(largestBuffer, framer.bufferedByteCount)
        }
        Array("\nnext\n".utf8).withUnsafeBytes {
            framer.consume($0, line: { lines.append(String(decoding: $0, as: UTF8.self)) }, overlong: { overlong += 1 })
        }
        #expect(largestBuffer <= 1025)
        #expect(overlong == 1)
        #expect(lines == ["next"])
    }
}
