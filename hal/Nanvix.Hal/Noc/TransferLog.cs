using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// The NoC's log of transfers: the <see cref="TransferRecord"/> of every transfer posted, numbered from 0 in posting
/// order, and beside each the <see cref="TransferEnds"/> its arrival needs. Both live in rings that grow by doubling
/// while transfers are under way and, once <see cref="NetworkOnChip.HistoryLimit"/> long, forget the oldest finished
/// transfer instead, so a long run does not grow without bound and a record still in use is never overwritten.
/// </summary>
internal sealed class TransferLog
{
    private const int InitialTransfers = 256;

    private readonly IClock _clock;
    private readonly NocTopology _topology;
    private TransferRecord[] _records = new TransferRecord[InitialTransfers];
    private TransferEnds[] _ends = new TransferEnds[InitialTransfers];
    private int _count;
    private int _oldestKept;

    /// <param name="clock">The clock a transfer is posted at.</param>
    /// <param name="topology">The topology that says how many links a transfer crosses.</param>
    public TransferLog(IClock clock, NocTopology topology)
    {
        _clock = clock;
        _topology = topology;
    }

    /// <summary>Transfers posted so far.</summary>
    public int Count => _count;

    /// <summary>The record of transfer <paramref name="id"/>, checked: it must exist and still be kept.</summary>
    public TransferRecord Transfer(int id)
    {
        if ((uint)id >= (uint)_count)
        {
            throw new NocException($"transfer {id} does not exist ({_count} transfers posted so far)");
        }

        if (id < _oldestKept)
        {
            throw new NocException($"transfer {id} is no longer kept: the NoC keeps the records of the last {NetworkOnChip.HistoryLimit} transfers");
        }

        return _records[Slot(id)];
    }

    /// <summary>The record of kept transfer <paramref name="id"/>, unchecked; the reference is valid until the next <see cref="Post"/>.</summary>
    public ref TransferRecord Record(int id) => ref _records[Slot(id)];

    /// <summary>The ends of kept transfer <paramref name="id"/>, unchecked; the reference is valid until the next <see cref="Post"/>.</summary>
    public ref TransferEnds Ends(int id) => ref _ends[Slot(id)];

    /// <summary>Records a transfer posted now, not yet started, with no ends yet; returns its id.</summary>
    public int Post(TransferKind kind, int source, int target, int bytes, int wireBytes, int packets)
    {
        if (_count - _oldestKept == _records.Length)
        {
            // The ring is full: forget the oldest record once the history is long enough and that transfer is over,
            // otherwise grow, so a record still in use is never overwritten.
            if (_records.Length >= NetworkOnChip.HistoryLimit && _records[Slot(_oldestKept)].State is TransferState.Delivered or TransferState.Cancelled or TransferState.Failed)
            {
                _oldestKept++;
            }
            else
            {
                Grow();
            }
        }

        int id = _count++;
        ulong now = _clock.Now;
        _records[Slot(id)] = new TransferRecord(
            id, kind, source, target, bytes, wireBytes, packets, _topology.Hops(source, target), now, now, now, TransferState.Waiting);
        _ends[Slot(id)] = default;
        return id;
    }

    /// <summary>
    /// Closes transfer <paramref name="id"/> at its arrival: <see cref="TransferState.Failed"/> when a fault took it,
    /// <see cref="TransferState.Delivered"/> otherwise, its ends forgotten. Returns its record as it was in flight and,
    /// in <paramref name="ends"/>, the ends it had.
    /// </summary>
    [KernelHotPath]
    public TransferRecord Arrive(int id, out TransferEnds ends)
    {
        TransferRecord record = _records[Slot(id)];
        ends = _ends[Slot(id)];
        _records[Slot(id)] = record with { State = ends.Faulted ? TransferState.Failed : TransferState.Delivered };
        _ends[Slot(id)] = default;
        return record;
    }

    /// <summary>Closes transfer <paramref name="id"/>, still waiting, as <see cref="TransferState.Cancelled"/>; its ends are forgotten.</summary>
    public void Cancel(int id)
    {
        _ends[Slot(id)] = default;
        _records[Slot(id)] = _records[Slot(id)] with { State = TransferState.Cancelled };
    }

    /// <summary>Position of transfer <paramref name="id"/> in the rings.</summary>
    private int Slot(int id) => id & (_records.Length - 1);

    private void Grow()
    {
        var records = new TransferRecord[_records.Length * 2];
        var ends = new TransferEnds[_records.Length * 2];
        int mask = records.Length - 1;
        for (int id = _oldestKept; id < _count; id++)
        {
            records[id & mask] = _records[Slot(id)];
            ends[id & mask] = _ends[Slot(id)];
        }

        _records = records;
        _ends = ends;
    }
}
