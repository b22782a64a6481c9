using System.Runtime.CompilerServices;
using Nanvix.Arch.Cache;

namespace Nanvix.Arch.Core;

/// <summary>
/// User fetches and data accesses through the I$ and D$ models, shared by both engines: the miss penalty, the
/// repeated-line hits a run counts itself (<see cref="ICacheMode.CountsRepeatedLineHits"/>) and hands over at its end,
/// and, when <see cref="ICacheMode.LogsUserMisses"/>, each miss logged with the pc of the instruction that made it.
/// </summary>
public sealed partial class Hart
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint DataMiss(uint physicalAddress, bool isWrite) =>
        _dataCache!.Access(physicalAddress, isWrite, AccessSource.User) ? _costs.CacheMissPenalty : 0;

    /// <summary>As <see cref="DataMiss"/>, logging a miss at <paramref name="pc"/> in <see cref="UserMisses"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint DataMissLogged(uint physicalAddress, bool isWrite, uint pc)
    {
        CacheModel cache = _dataCache!;
        CacheStatistics before = cache.User;
        if (!cache.Access(physicalAddress, isWrite, AccessSource.User))
        {
            return 0;
        }

        _userMisses!.Record(pc, instruction: false, before, cache.User);
        return _costs.CacheMissPenalty;
    }

    /// <summary>
    /// A user data access through the D$ model by the instruction at <paramref name="pc"/> (read only when
    /// <typeparamref name="TCaches"/> logs misses), or counted in <paramref name="hits"/> when it is to the model's last
    /// line and <typeparamref name="TCaches"/> counts such hits itself; a stall is added to <paramref name="cycles"/>
    /// (a hit leaves them alone: no add of a zero stall on the common path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DataAccess<TCaches>(uint physicalAddress, bool isWrite, uint pc, ref uint lastLine, ref ulong hits, ref ulong cycles)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits)
        {
            if ((physicalAddress >> _dataLineShift) == lastLine && !(isWrite && _dataCache!.AllocatesOnWrite))
            {
                hits++;
                return;
            }

            cycles += TCaches.LogsUserMisses ? DataMissLogged(physicalAddress, isWrite, pc) : DataMiss(physicalAddress, isWrite);
            lastLine = _dataCache!.LastLine;
            return;
        }

        cycles += TCaches.LogsUserMisses ? DataMissLogged(physicalAddress, isWrite, pc) : DataMiss(physicalAddress, isWrite);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchMiss(uint physicalAddress) =>
        _instructionCache!.Access(physicalAddress, false, AccessSource.User) ? _costs.CacheMissPenalty : 0;

    /// <summary>As <see cref="FetchMiss"/>, logging a miss at <paramref name="pc"/> in <see cref="UserMisses"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchMissLogged(uint physicalAddress, uint pc)
    {
        CacheModel cache = _instructionCache!;
        CacheStatistics before = cache.User;
        if (!cache.Access(physicalAddress, false, AccessSource.User))
        {
            return 0;
        }

        _userMisses!.Record(pc, instruction: true, before, cache.User);
        return _costs.CacheMissPenalty;
    }

    /// <summary>
    /// The fetch of the instruction at <paramref name="pc"/> (physical <paramref name="physicalAddress"/>) through the
    /// I$ model, or counted in <paramref name="hits"/> as for <see cref="DataAccess"/>; the stall cycles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint FetchAccess<TCaches>(uint physicalAddress, uint pc, ref uint lastLine, ref ulong hits)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits && (physicalAddress >> _fetchLineShift) == lastLine)
        {
            hits++;
            return 0;
        }

        uint stall = TCaches.LogsUserMisses ? FetchMissLogged(physicalAddress, pc) : FetchMiss(physicalAddress);
        if (TCaches.CountsRepeatedLineHits)
        {
            lastLine = _instructionCache!.LastLine;
        }

        return stall;
    }

    private void HandOverLineHits<TCaches>(ulong fetchHits, ulong dataHits)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits)
        {
            _instructionCache!.CountUserLineHits(fetchHits);
            _dataCache!.CountUserLineHits(dataHits);
        }
    }
}
