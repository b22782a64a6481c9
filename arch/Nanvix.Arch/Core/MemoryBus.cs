using Nanvix.Arch.Isa;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Core;

/// <summary>
/// What the cores that share one physical memory see of each other: the predecoded code and its basic blocks, kept per
/// physical page, and the LR reservations. A store by any attached core into a page that holds predecoded code
/// invalidates the instruction it overwrote and every block that holds it, and a store to a reserved word breaks every
/// reservation on it, so both stay right when several cores run in one memory.
/// <para>
/// Stores the cores do not make (the kernel writing user memory from C#: loading a program, restoring a migrated
/// process) are not seen here: after such a write into memory that may hold code, the kernel calls
/// <see cref="InvalidateCode(uint)"/> or <see cref="InvalidateAllCode"/>.
/// </para>
/// </summary>
public sealed class MemoryBus
{
    /// <summary>Flag in <see cref="PageFlags"/>: the page holds predecoded instructions.</summary>
    internal const byte HasCode = 1;

    /// <summary>Flag in <see cref="PageFlags"/>: some core reserved a word of the page.</summary>
    internal const byte HasReservation = 2;

    /// <summary>
    /// Flag in <see cref="PageFlags"/>: the page's predecoded instructions are all out of date (the kernel rewrote the
    /// page); they are cleared when a core next fetches from it, not when the page is rewritten, so that rewriting
    /// pages nobody runs again (a migrated process's data, a freed frame) costs nothing.
    /// </summary>
    internal const byte Stale = 4;

    private const uint NoReservation = uint.MaxValue;

    private readonly DecodedInstruction[]?[] _code;
    private uint[] _reservations = new uint[4];
    private int _cores;
    private CycleCosts? _blockCosts;

    public MemoryBus(IPhysicalMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        Memory = memory;
        uint pages = memory.Size >> Sv32.PageShift;
        _code = new DecodedInstruction[]?[pages];
        PageFlags = new byte[pages];
    }

    public IPhysicalMemory Memory { get; }

    /// <summary>Per physical page, <see cref="HasCode"/> and <see cref="HasReservation"/>: one load tells a store it has nothing to do.</summary>
    internal byte[] PageFlags { get; }

    /// <summary>Invalidates the predecoded instructions of physical page <paramref name="pageNumber"/>.</summary>
    public void InvalidateCode(uint pageNumber)
    {
        if (_code[pageNumber] is not null)
        {
            PageFlags[pageNumber] |= Stale;
        }
    }

    /// <summary>Invalidates every predecoded instruction (what FENCE.I does).</summary>
    public void InvalidateAllCode()
    {
        for (uint pageNumber = 0; pageNumber < _code.Length; pageNumber++)
        {
            InvalidateCode(pageNumber);
        }
    }

    /// <summary>Registers a core; returns its index in the reservation table.</summary>
    internal int Attach()
    {
        if (_cores == _reservations.Length)
        {
            Array.Resize(ref _reservations, _cores * 2);
        }

        _reservations[_cores] = NoReservation;
        return _cores++;
    }

    /// <summary>
    /// True when basic blocks built by a core of <paramref name="costs"/> carry the right base cycles for every core that
    /// runs them: the first core to ask sets the costs of the bus's blocks, and a core of other costs is told no.
    /// </summary>
    internal bool SharesBlockCosts(CycleCosts costs)
    {
        _blockCosts ??= costs;
        return _blockCosts == costs;
    }

    /// <summary>
    /// The predecode slots of a physical page (1024, one per word, then one that stays undecoded: the block engine
    /// stops there at the end of the page), created on first use.
    /// </summary>
    internal DecodedInstruction[] CodePage(uint pageNumber)
    {
        DecodedInstruction[]? page = _code[pageNumber];
        if (page is null)
        {
            page = new DecodedInstruction[BasicBlocks.PageSlots + 1];
            _code[pageNumber] = page;
            PageFlags[pageNumber] |= HasCode;
        }
        else if ((PageFlags[pageNumber] & Stale) != 0)
        {
            Array.Clear(page);
            PageFlags[pageNumber] &= unchecked((byte)~Stale);
        }

        return page;
    }

    /// <summary>Called for a store to <paramref name="physicalAddress"/> into a page whose <see cref="PageFlags"/> are not 0.</summary>
    internal void OnStore(uint physicalAddress)
    {
        uint pageNumber = physicalAddress >> Sv32.PageShift;
        byte flags = PageFlags[pageNumber];
        if ((flags & HasCode) != 0)
        {
            DecodedInstruction[] page = _code[pageNumber]!;
            int slot = (int)((physicalAddress & Sv32.PageOffsetMask) >> 2);
            page[slot] = default;
            BasicBlocks.ForgetBlocksThrough(page, slot);
        }

        if ((flags & HasReservation) != 0)
        {
            uint word = physicalAddress & ~3u;
            for (int core = 0; core < _cores; core++)
            {
                if (_reservations[core] == word)
                {
                    _reservations[core] = NoReservation;
                }
            }
        }
    }

    /// <summary>LR: core <paramref name="core"/> reserves the word at <paramref name="physicalAddress"/>, replacing its previous reservation.</summary>
    internal void Reserve(int core, uint physicalAddress)
    {
        _reservations[core] = physicalAddress;
        PageFlags[physicalAddress >> Sv32.PageShift] |= HasReservation;
    }

    /// <summary>SC: true when core <paramref name="core"/> holds a reservation on exactly this word; the reservation is dropped either way.</summary>
    internal bool ConsumeReservation(int core, uint physicalAddress)
    {
        bool held = _reservations[core] == physicalAddress;
        _reservations[core] = NoReservation;
        return held;
    }

    /// <summary>Drops the reservation of core <paramref name="core"/>.</summary>
    internal void ClearReservation(int core) => _reservations[core] = NoReservation;
}
