using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// Portal moves of other processes this daemon heard of lately (the newest <see cref="HeardLimit"/>): each applies to
/// this kernel's portals when it comes, and again, in the order the moves happened, to a process arriving here, whose
/// portals were copied before the news came.
/// </summary>
internal sealed class PortalMoveNews(IClusterKernel kernel)
{
    private const int HeardLimit = 64;

    private readonly List<byte[]> _heard = [];

    /// <summary>News of a portal move came: this kernel's portals that paired with the process follow it, and the news is kept.</summary>
    public void Heard(ReadOnlySpan<byte> body, ulong now)
    {
        Apply(body, now);
        if (_heard.Count == HeardLimit)
        {
            _heard.RemoveAt(0);
        }

        _heard.Add(body.ToArray());
    }

    /// <summary>A process arrived: the moves heard while it was on its way apply to it now, in the order they happened.</summary>
    public void ApplyAll(ulong now)
    {
        foreach (byte[] heard in _heard.OrderBy(h => MigrationMessage.Header(h).Move.Number))
        {
            Apply(heard, now);
        }
    }

    private void Apply(ReadOnlySpan<byte> body, ulong now)
    {
        MoveHeader header = MigrationMessage.Header(body);
        Span<(bool, int, int)> moved = stackalloc (bool, int, int)[KernelConstants.IkcDescriptorsPerProcess];
        int count = MigrationMessage.ReadPortalsMoved(body, moved, out int to);
        kernel.PortalPeerMoved(header.Move.Pid, header.Move.Source, to, header.Move.Number, moved[..count], now);
    }
}
