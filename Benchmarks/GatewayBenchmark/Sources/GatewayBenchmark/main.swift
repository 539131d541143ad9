import Foundation

// gateway-benchmark: drives a release `contacts-gateway` over its stdio JSON-RPC and reports
// throughput, latency percentiles, spawn time and memory. See Benchmarks/README.md.
signal(SIGPIPE, SIG_IGN)
// Spawned as the harness floor in place of a gateway (see EchoServer.swift).
if CommandLine.arguments.dropFirst().first == "serve" { runEchoServer() }
let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
switch options.scenario {
case .mix: runMix(options, predict: options.predictRevisions)
case .updates:
    var updatesOnly = options
    updatesOnly.getPercent = 0
    runMix(updatesOnly, predict: options.predictRevisions)
case .creates: runCreates(options)
case .history: runHistory(options)
case .query: runQuery(options)
}
