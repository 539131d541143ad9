/// The armed faults, consulted once per request (control routes excepted).
///
/// Rules are tried in the order they were added; the first that matches and wins its `rate`
/// roll fires, and a rule that has fired `count` times is removed.
///
/// ```swift
/// await emulator.faults.add(FaultRule(kind: .status, status: 429, count: 2))
/// ```
public actor FaultInjector {
    /// The armed rules, with the firings left on each.
    public private(set) var rules: [FaultRule]
    private var generator: SystemRandomNumberGenerator

    /// Creates an injector with `rules` armed.
    public init(_ rules: [FaultRule] = []) {
        self.rules = rules
        self.generator = SystemRandomNumberGenerator()
    }

    /// Arms a rule after those already armed.
    public func add(_ rule: FaultRule) {
        rules.append(rule)
    }

    /// Disarms every rule.
    public func removeAll() {
        rules.removeAll()
    }

    /// The fault for a request, if one fires; counts the firing.
    func fault(method: String, path: String) -> FaultRule? {
        for index in rules.indices where rules[index].matches(method: method, path: path) {
            let rule = rules[index]
            // rate 1 must always fire and rate 0 never, whatever the generator says.
            guard rule.rate >= 1 || (rule.rate > 0 && Double.random(in: 0..<1, using: &generator) < rule.rate) else {
                continue
            }
            if let count = rule.count {
                if count <= 1 {
                    rules.remove(at: index)
                } else {
                    rules[index].count = count - 1
                }
            }
            return rule
        }
        return nil
    }
}
