using Nanvix.Kernel.Migration;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>How one asked move ended.</summary>
internal sealed record StressTicket(int Pid, string Target, MigrationState State, string? Refusal, bool ByProcess, ulong DowntimeCycles, MigrationMode Mode = MigrationMode.Stop)
{
    public static StressTicket Of(MigrationTicket ticket) => new(ticket.Pid, ticket.Target.Name, ticket.State, ticket.Refusal, ticket.ByProcess, ticket.Report?.DowntimeCycles ?? 0, ticket.Mode);
}
