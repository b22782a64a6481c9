using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Arch.Isa;
using Nanvix.Arch.Mmu;
using Nanvix.Layout;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The kernel's boundary with Nanvix.Arch, read from the built Nanvix.Kernel assembly: the kernel reaches cores only
/// through the HAL's <see cref="Nanvix.Hal.Processor.ICore"/>, so the only Nanvix.Arch types it may name are the ISA- and
/// format-level values that cross that interface (registers, run results, trap causes, cache shapes and counters), the
/// ELF and Sv32 formats it loads programs and writes page tables in, and the layout metadata it fills. The machinery
/// that builds or runs a core (the interpreter, its memory bus, MMU and TLB) stays out of its references.
/// </summary>
public sealed class ArchBoundaryTests
{
    private const string ArchAssembly = "Nanvix.Arch";

    /// <summary>Every Nanvix.Arch type the kernel may name, and why.</summary>
    private static readonly Dictionary<Type, string> Allowed = new()
    {
        [typeof(RegisterContext)] = "a thread's saved registers: the kernel keeps them in its thread table and lends them to ICore.RunQuantum",
        [typeof(RunResult)] = "what ICore.RunQuantum returns: the budget ended, or a trap with its cause, pc and tval",
        [typeof(TrapCause)] = "the RISC-V trap causes the kernel's trap dispatch tells apart (ecall, page faults, illegal instruction)",
        [typeof(HartEngine)] = "the value of ICore.Engine, which the kernel passes through from its configuration",
        [typeof(CacheGeometry)] = "the cache shape ICore.EnableCaches takes; the kernel also reads the D$ line size to count its own accesses",
        [typeof(CacheModel)] = "the type of ICore.InstructionCache and DataCache, which the kernel only reads (geometry, counters), never builds",
        [typeof(CacheStatistics)] = "the miss counters of a cache model, summed into the kernel's per-core statistics",
        [typeof(MissCounts)] = "misses split by the three Cs, as the kernel's D$ miss map (--annotate) adds them up by address",
        [typeof(UserMissLog)] = "where a cluster's cores log their user misses (--annotate): the kernel makes one, hands it to its cores through ICore.UserMisses, and tells it the pid of each quantum",
        [typeof(ElfImage)] = "the ELF format: the program loader reads a program's entry, segments and bytes from it",
        [typeof(ElfSegment)] = "one loadable segment of an ELF image, which the loader maps",
        [typeof(SegmentPermissions)] = "an ELF segment's R/W/X flags, which the loader turns into page-table flags",
        [typeof(ElfFormatException)] = "what parsing a bad ELF file throws; the spawn service turns it into an error for the caller",
        [typeof(Sv32)] = "the Sv32 page-table format (PTE encoding, page numbers) the kernel writes its page tables in; no MMU state",
        [typeof(StructLayoutInfo)] = "layout metadata that Nanvix.Analyzers emits into the lowest kernel-code assembly and the kernel's generated layout table fills",
        [typeof(FieldLayoutInfo)] = "one field of that layout metadata, filled the same way",
    };

    /// <summary>The machinery that builds, runs or reaches into a core: the HAL owns it, the kernel must never name it.</summary>
    public static TheoryData<Type, string> Machinery => new()
    {
        { typeof(Hart), "the interpreter itself: the HAL builds the cores and the kernel sees them as ICore" },
        { typeof(MemoryBus), "the memory and code/reservation state shared by a cluster's cores, built with them by the HAL" },
        { typeof(Sv32Mmu), "a core's MMU: the kernel sets the root and flushes through ICore.UseAddressSpace and FlushTlb" },
        { typeof(Tlb), "a core's TLB, reached only through ICore.FlushTlb" },
        { typeof(TlbEntry), "an entry of a core's TLB" },
        { typeof(IPhysicalMemory), "the interpreter's view of physical memory; the kernel uses the HAL's ClusterMemory" },
        { typeof(FlatPhysicalMemory), "the interpreter's physical memory, built by the HAL" },
        { typeof(CycleCosts), "the cycle costs a core is built with; the HAL's machine description carries them" },
        { typeof(InstructionDecoder), "the interpreter's decoder" },
        { typeof(DecodedInstruction), "the interpreter's predecoded instructions" },
    };

    [Fact]
    public void The_kernel_names_exactly_the_allowed_arch_types()
    {
        SortedSet<string> referenced = ArchTypesReferencedByKernel();
        SortedSet<string> allowed = [.. Allowed.Keys.Select(t => t.FullName!)];

        string[] unexpected = [.. referenced.Except(allowed)];
        string[] unused = [.. allowed.Except(referenced)];
        Assert.True(unexpected.Length == 0, $"Nanvix.Kernel names Nanvix.Arch types outside the allowlist (reach cores through ICore, or add each with a reason): {string.Join(", ", unexpected)}");
        Assert.True(unused.Length == 0, $"the allowlist names Nanvix.Arch types the kernel no longer uses (drop them): {string.Join(", ", unused)}");
    }

    [Theory]
    [MemberData(nameof(Machinery))]
    public void The_kernel_does_not_name_the_machinery_of_a_core(Type machinery, string why)
    {
        Assert.False(ArchTypesReferencedByKernel().Contains(machinery.FullName!), $"Nanvix.Kernel names {machinery.FullName}, {why}");
        Assert.False(Allowed.ContainsKey(machinery), $"{machinery.Name} is machinery ({why}) and may not be allowed");
    }

    [Fact]
    public void The_kernel_builds_no_cache_model_it_only_reads_those_of_its_cores()
    {
        Assert.False(MembersReferencedByKernel(typeof(CacheModel)).Contains(".ctor"), "Nanvix.Kernel builds a CacheModel; the HAL builds a core's caches (ICore.EnableCaches)");
    }

    [Fact]
    public void The_allowlist_names_only_arch_types()
    {
        Assert.All(Allowed.Keys, t => Assert.Equal(ArchAssembly, t.Assembly.GetName().Name));
        Assert.All(Machinery, row => Assert.Equal(ArchAssembly, ((Type)row[0]).Assembly.GetName().Name));
    }

    /// <summary>The full names of the type references of Nanvix.Kernel whose outermost resolution scope is Nanvix.Arch.</summary>
    private static SortedSet<string> ArchTypesReferencedByKernel()
    {
        using PEReader pe = OpenKernel();
        MetadataReader md = pe.GetMetadataReader();
        SortedSet<string> names = [];
        foreach (TypeReferenceHandle handle in md.TypeReferences)
        {
            if (IsArch(md, handle))
            {
                names.Add(FullName(md, handle));
            }
        }

        return names;
    }

    /// <summary>The names of the members of <paramref name="type"/> that Nanvix.Kernel references.</summary>
    private static SortedSet<string> MembersReferencedByKernel(Type type)
    {
        using PEReader pe = OpenKernel();
        MetadataReader md = pe.GetMetadataReader();
        SortedSet<string> names = [];
        foreach (MemberReferenceHandle handle in md.MemberReferences)
        {
            MemberReference member = md.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference
                && IsArch(md, (TypeReferenceHandle)member.Parent)
                && FullName(md, (TypeReferenceHandle)member.Parent) == type.FullName)
            {
                names.Add(md.GetString(member.Name));
            }
        }

        return names;
    }

    private static PEReader OpenKernel() => new(File.OpenRead(typeof(IClusterKernel).Assembly.Location));

    private static bool IsArch(MetadataReader md, TypeReferenceHandle handle)
    {
        EntityHandle scope = md.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.TypeReference => IsArch(md, (TypeReferenceHandle)scope),
            HandleKind.AssemblyReference => md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) == ArchAssembly,
            _ => false,
        };
    }

    /// <summary>As <see cref="Type.FullName"/> gives it: namespace, then outer types joined by '+'.</summary>
    private static string FullName(MetadataReader md, TypeReferenceHandle handle)
    {
        TypeReference reference = md.GetTypeReference(handle);
        string name = md.GetString(reference.Name);
        return reference.ResolutionScope.Kind == HandleKind.TypeReference
            ? FullName(md, (TypeReferenceHandle)reference.ResolutionScope) + "+" + name
            : reference.Namespace.IsNil ? name : md.GetString(reference.Namespace) + "." + name;
    }
}
