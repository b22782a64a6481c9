using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The HAL endpoints of the sync points made on this node, by <see cref="SyncEntry.Handle"/> (an entry moves in the
/// table; its endpoint does not): a sync point's endpoint is at its home only.
/// </summary>
internal sealed class SyncEndpoints(INoc noc, int node, int count, IEventTarget kernel)
{
    private readonly ISyncInput?[] _inputs = new ISyncInput?[count];
    private readonly ISyncOutput?[] _outputs = new ISyncOutput?[count];

    /// <summary>The hardware input of <paramref name="entry"/>: it has one only at home.</summary>
    public ISyncInput? Input(in SyncEntry entry) => entry.Home == node ? _inputs[entry.Handle] : null;

    /// <summary>The hardware output of <paramref name="entry"/>: it has one only at home.</summary>
    public ISyncOutput? Output(in SyncEntry entry) => entry.Home == node ? _outputs[entry.Handle] : null;

    /// <summary>
    /// Makes the endpoint of a new sync point at <paramref name="handle"/>: an input, which tells the kernel of its
    /// releases, or an output (a <see cref="NocException"/> for a bad node, a duplicate, this node in the wrong role,
    /// or the same point twice).
    /// </summary>
    public void Open(int handle, ReadOnlySpan<int> nodes, SyncMode mode, bool input)
    {
        if (input)
        {
            ISyncInput endpoint = noc.CreateSync(node, nodes, mode);
            endpoint.Notify(kernel, KernelEvent.Of(KernelEventKind.SyncRelease, handle));
            _inputs[handle] = endpoint;
        }
        else
        {
            _outputs[handle] = noc.OpenSync(node, nodes, mode);
        }
    }

    /// <summary>Disposes of the endpoints at <paramref name="handle"/>.</summary>
    public void Close(int handle)
    {
        _inputs[handle]?.Dispose();
        _outputs[handle]?.Dispose();
        _inputs[handle] = null;
        _outputs[handle] = null;
    }

    /// <summary>A free place for the HAL endpoint of a new sync point, or -1.</summary>
    public int FreeHandle()
    {
        for (int handle = 0; handle < _inputs.Length; handle++)
        {
            if (_inputs[handle] is null && _outputs[handle] is null)
            {
                return handle;
            }
        }

        return -1;
    }
}
