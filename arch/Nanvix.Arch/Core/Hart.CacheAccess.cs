using System.Runtime.CompilerServices;
using Nanvix.Arch.Cache;

namespace Nanvix.Arch.Core;

/// <summary>
/// User fetches and data accesses through the I$ and D$ models, shared by both engines: the miss penalty, and the
/// repeated-line hits a run counts itself (<see cref="ICacheMode.CountsRepeatedLineHits"/>) and hands over at its end.
/// </summary>
public sealed partial class Hart
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint DataMiss(uint physicalAddress, bool isWrite) =>
        _dataCache!.Access(physicalAddress, isWrite, AccessSource.User) ? _costs.CacheMissPenalty : 0;

    /// <summary>
    /// A user data access through the D$ model, or counted in <paramref name="hits"/> when it is to the model's last
    /// line and <typeparamref name="TCaches"/> counts such hits itself; a stall is added to <paramref name="cycles"/>
    /// (a hit leaves them alone: no add of a zero stall on the common path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DataAccess<TCaches>(uint physicalAddress, bool isWrite, ref uint lastLine, ref ulong hits, ref ulong cycles)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits)
        {
            if ((physicalAddress >> _dataLineShift) == lastLine && !(isWrite && _dataCache!.AllocatesOnWrite))
            {
                hits++;
                return;
            }

            cycles += DataMiss(physicalAddress, isWrite);
            lastLine = _dataCache!.LastLine;
            return;
        }

        cycles += DataMiss(physicalAddress, isWrite);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchMiss(uint physicalAddress) =>
        _instructionCache!.Access(physicalAddress, false, AccessSource.User) ? _costs.CacheMissPenalty : 0;

    /// <summary>An instruction fetch through the I$ model, or counted in <paramref name="hits"/> as for <see cref="DataAccess"/>; the stall cycles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint FetchAccess<TCaches>(uint physicalAddress, ref uint lastLine, ref ulong hits)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits && (physicalAddress >> _fetchLineShift) == lastLine)
        {
            hits++;
            return 0;
        }

        uint stall = FetchMiss(physicalAddress);
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
