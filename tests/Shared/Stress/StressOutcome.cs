namespace Nanvix.Tests.Shared.Stress;

/// <summary>What one run of a scenario gave: per program its output lines (place and time taken out), status and kill diagnostic; the tickets; a host exception.</summary>
internal sealed record StressOutcome(
    string[][] Lines,
    int?[] Statuses,
    string?[] Diagnostics,
    StressTicket[] Tickets,
    Exception? HostError,
    ulong Cycles,
    int FaultsArmed,
    int FaultsLeft);
