namespace Nanvix.Cli;

/// <summary>Where a run talks to the host: its streams, what may interrupt it, and whether stderr is a terminal that shows progress.</summary>
public sealed record RunHost(TextWriter Output, TextWriter Error, Stream? Input, RunInterrupt Interrupt, bool Progress);
