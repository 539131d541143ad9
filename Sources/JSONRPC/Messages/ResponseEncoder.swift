import JSONCore

/// Writes response objects straight into bytes, without building a `JSONValue` envelope first.
enum ResponseEncoder {
    /// Appends `{"jsonrpc":"2.0","id":…,"result":…}` or `{…,"error":{…}}` (no newline).
    static func write(id: RequestID, outcome: Result<JSONValue, ResponseError>, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        id.write(to: &output)
        switch outcome {
        case .success(let result):
            output.append(contentsOf: #","result":"#.utf8)
            result.write(to: &output)
        case .failure(let error):
            output.append(contentsOf: #","error":{"code":"#.utf8)
            JSONValue.int(error.code.rawValue).write(to: &output)
            output.append(contentsOf: #","message":"#.utf8)
            JSONValue.writeString(error.message, to: &output)
            if let data = error.data {
                output.append(contentsOf: #","data":"#.utf8)
                data.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "}"))
    }

    /// One complete response line, newline included.
    static func line(id: RequestID, outcome: Result<JSONValue, ResponseError>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        write(id: id, outcome: outcome, to: &output)
        output.append(UInt8(ascii: "\n"))
        return output
    }
}
