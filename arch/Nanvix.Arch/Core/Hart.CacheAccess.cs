using System.Runtime.CompilerServices;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Core;

/// <summary>
/// User fetches and data accesses through the I$ and D$ models, shared by both engines: the miss penalty, the
/// repeated-line hits a run counts itself (<see cref="ICacheMode.CountsRepeatedLineHits"/>) and hands over at its end,
/// and each miss logged in <see cref="UserMisses"/> when the core has a log. The pc of a miss comes from what the
/// logging loops (<see cref="CachesOnLogged"/>, <see cref="CachesOnRepeatedLineHitsLogged"/>) keep up to date: the
/// virtual page of the fetch window and the pc of the instruction whose data access the D$ sees next. The other modes'
/// loops, helpers and miss functions are the machine code they were before logs existed (compared listing by listing
/// under the JIT, and in callgrind instructions under NativeAOT: docs/layouts.md).
/// </summary>
public sealed partial class Hart
{
    /// <summary>The virtual page the loop fetches from (logging loops only): a fetch's pc is its offset in this page.</summary>
    private uint _fetchPage;

    /// <summary>The pc of the instruction whose data access the D$ sees next (logging loops only).</summary>
    private uint _accessPc;

    /// <summary>
    /// A user data access the loop did not count as a repeated-line hit, through the D$ model; the stall. Generic so that
    /// the logging modes get their own copy (a type test, folded: see <see cref="ICacheMode"/>) while the loops' inlined
    /// helpers keep their code, and the other modes' copy is the code it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint DataMiss<TCaches>(uint physicalAddress, bool isWrite)
        where TCaches : struct, ICacheMode
    {
        if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
        {
            return DataMissLogged(physicalAddress, isWrite);
        }

        return _dataCache!.Access(physicalAddress, isWrite, AccessSource.User) ? _costs.CacheMissPenalty : 0;
    }

    /// <summary>As <see cref="DataMiss"/>, logging a miss at <see cref="_accessPc"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint DataMissLogged(uint physicalAddress, bool isWrite)
    {
        CacheStatistics before = _dataCache!.User;
        if (!_dataCache.Access(physicalAddress, isWrite, AccessSource.User))
        {
            return 0;
        }

        _userMisses!.Record(_accessPc, instruction: false, before, _dataCache.User);
        return _costs.CacheMissPenalty;
    }

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

            cycles += DataMiss<TCaches>(physicalAddress, isWrite);
            lastLine = _dataCache!.LastLine;
            return;
        }

        cycles += DataMiss<TCaches>(physicalAddress, isWrite);
    }

    /// <summary>As <see cref="DataMiss"/>, for an instruction fetch; a miss is logged at its pc in the fetch window's page.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchMiss<TCaches>(uint physicalAddress)
        where TCaches : struct, ICacheMode
    {
        if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
        {
            return FetchMissLogged(physicalAddress);
        }

        return _instructionCache!.Access(physicalAddress, false, AccessSource.User) ? _costs.CacheMissPenalty : 0;
    }

    /// <summary>As <see cref="FetchMiss"/>, logging a miss at its pc in the fetch window's page (<see cref="_fetchPage"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchMissLogged(uint physicalAddress)
    {
        CacheStatistics before = _instructionCache!.User;
        if (!_instructionCache.Access(physicalAddress, false, AccessSource.User))
        {
            return 0;
        }

        _userMisses!.Record(_fetchPage | (physicalAddress & Sv32.PageOffsetMask), instruction: true, before, _instructionCache.User);
        return _costs.CacheMissPenalty;
    }

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

        uint stall = FetchMiss<TCaches>(physicalAddress);
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
