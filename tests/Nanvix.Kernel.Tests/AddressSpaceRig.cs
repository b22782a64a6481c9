using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// One compute cluster's memory with the kernel's two page allocators over it (bitmaps at the start of kernel data,
/// as the kernel puts them) and one empty address space: the real page tables, walked in cluster memory, no kernel.
/// </summary>
internal sealed class AddressSpaceRig : IDisposable
{
    private readonly Processor _processor = new(Mppa256.Spec());

    public AddressSpaceRig()
    {
        ClusterMemory memory = _processor.Cluster("CC0").Memory;
        MemoryRegion data = memory.Map[MemoryRegionNames.KernelData];
        Memory = memory;
        Kernel = new KernelMemory(memory);
        Frames = new PageAllocator(Kernel, memory.Map[MemoryRegionNames.User], data.Base);
        KernelPages = new PageAllocator(Kernel, memory.Map[MemoryRegionNames.KernelPool], data.Base + 4096);
        Space = NewSpace();
        User = new UserAccess(Kernel, Space, cluster: null);
    }

    public ClusterMemory Memory { get; }

    /// <summary>The kernel's counted access to <see cref="Memory"/> (no core serving: nothing counted).</summary>
    public KernelMemory Kernel { get; }

    public PageAllocator Frames { get; }

    public PageAllocator KernelPages { get; }

    public AddressSpace Space { get; }

    public UserAccess User { get; }

    /// <summary>The frame behind <paramref name="page"/>, and its permissions; null when it is not mapped.</summary>
    public (uint Frame, PagePermissions Permissions)? Mapping(uint page)
    {
        foreach ((uint va, uint frame, PagePermissions permissions) in Space.Mappings())
        {
            if (va == page)
            {
                return (frame, permissions);
            }
        }

        return null;
    }

    /// <summary>Another empty address space over the same allocators.</summary>
    public AddressSpace NewSpace() => AddressSpace.Create(Kernel, KernelPages, Frames) ?? throw new InvalidOperationException("no page for a root");

    public void Dispose() => _processor.Dispose();
}
