using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Tests.Mmu;

/// <summary>Writes Sv32 page tables into physical memory, taking table pages from a bump pointer.</summary>
internal sealed class PageTableBuilder
{
    private readonly FlatPhysicalMemory _memory;
    private uint _nextTablePage;

    public PageTableBuilder(FlatPhysicalMemory memory, uint rootPage)
    {
        _memory = memory;
        RootPage = rootPage;
        _nextTablePage = rootPage + 1;
    }

    public uint RootPage { get; }

    /// <summary>Maps the 4 KB page holding <paramref name="virtualAddress"/> to <paramref name="physicalPage"/>.</summary>
    public uint Map(uint virtualAddress, uint physicalPage, uint flags)
    {
        uint level1 = (RootPage << 12) + ((virtualAddress >> 22) * 4);
        uint pointer = _memory.Read32(level1);
        if ((pointer & Sv32.V) == 0)
        {
            pointer = Sv32.Pte(_nextTablePage++, Sv32.V);
            _memory.Write32(level1, pointer);
        }

        uint level0 = (Sv32.PageNumberOf(pointer) << 12) + (((virtualAddress >> 12) & 0x3FF) * 4);
        _memory.Write32(level0, Sv32.Pte(physicalPage, flags));
        return level0;
    }

    /// <summary>Maps a 4 MB megapage with a leaf PTE in the root table.</summary>
    public void MapMegapage(uint virtualAddress, uint physicalPage, uint flags) =>
        _memory.Write32((RootPage << 12) + ((virtualAddress >> 22) * 4), Sv32.Pte(physicalPage, flags));
}
