import JSONCore

extension ObjectReader {
    /// A Wix list wrapper `{ "items": [...] }` of model values; `null` and a missing member read as absent.
    mutating func items<T: JSONRepresentable>(_ key: String, of type: T.Type = T.self) -> [T]? {
        guard let elements = wrappedItems(key) else { return nil }
        let base = childPath(key) + ".items"
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if let value = T(json: element, path: "\(base)[\(index)]", context: context) { result.append(value) }
        }
        return result
    }

    /// A Wix list wrapper of strings (`labelKeys`).
    mutating func stringItems(_ key: String) -> [String]? {
        guard let elements = wrappedItems(key) else { return nil }
        let base = childPath(key) + ".items"
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                context.typeMismatch("\(base)[\(index)]", expected: "a string", found: element)
                continue
            }
            result.append(string)
        }
        return result
    }

    /// A Wix map wrapper `{ "items": { key: value } }` (`extendedFields`).
    mutating func mapItems(_ key: String) -> JSONObject? {
        guard let wrapper = raw(key) else { return nil }
        guard var reader = ObjectReader(wrapper, path: childPath(key), context: context) else { return nil }
        defer { reader.finish() }
        guard let items = reader.raw("items") else { return JSONObject() }
        guard case .object(let object) = items else {
            context.typeMismatch(childPath(key) + ".items", expected: "an object", found: items)
            return nil
        }
        return object
    }

    private mutating func wrappedItems(_ key: String) -> [JSONValue]? {
        guard let wrapper = raw(key) else { return nil }
        guard var reader = ObjectReader(wrapper, path: childPath(key), context: context) else { return nil }
        defer { reader.finish() }
        guard let items = reader.raw("items") else { return [] }
        guard case .array(let elements) = items else {
            context.typeMismatch(childPath(key) + ".items", expected: "an array", found: items)
            return nil
        }
        return elements
    }
}
