import GatewayCLI
