using System.Globalization;
using Nanvix.Kernel;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Layout;

namespace Nanvix.Cli;

/// <summary>
/// Names the kernel field a D$ miss touched, from the cluster's kernel-data plan and the layout metadata the
/// generator emits: <c>uarea[1].Threads[5].State</c> under UArea, <c>thread table[23].State</c> under Scattered; the
/// structures outside the plan by their page (<c>page-table page 0x9a000</c>, <c>kernel stack page 0x8f000</c>).
/// </summary>
public sealed class KernelMissNames
{
    private readonly Dictionary<string, StructLayoutInfo> _structs = new(StringComparer.Ordinal);
    private readonly List<Placement> _placements;

    public KernelMissNames(IClusterKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        foreach (StructLayoutInfo s in KernelLayouts.Structs)
        {
            _structs[StructReport.ShortName(s.Name)] = s;
        }

        _placements = [.. kernel.Plan.Placements, .. kernel.IkcTables];
    }

    /// <summary>The field at <paramref name="address"/>, which an access to <paramref name="structure"/> touched.</summary>
    public string Name(uint address, KernelStructure structure)
    {
        foreach (Placement p in _placements)
        {
            if (address >= p.Address && address < p.End)
            {
                int offset = (int)(address - p.Address);
                return p.ElementType == nameof(UArea) ? InUArea(p.Name, offset, structure) : InTable(p.Name, p.ElementType, offset);
            }
        }

        uint page = address & ~4095u;
        return structure switch
        {
            KernelStructure.Contexts => $"kernel stack page 0x{page:x}",
            KernelStructure.PageTables => $"page-table page 0x{page:x}",
            KernelStructure.PageBitmaps => "page bitmaps",
            KernelStructure.Processes => "process table",
            KernelStructure.UserCopies => $"user page 0x{page:x}",
            _ => $"0x{address:x}",
        };
    }

    private string InUArea(string name, int offset, KernelStructure structure)
    {
        if (!_structs.TryGetValue(nameof(UArea), out StructLayoutInfo uarea) || FieldAt(uarea, offset) is not { } table)
        {
            return $"{name}+{offset}";
        }

        int inner = offset - table.Offset;
        if (ElementOf(structure) is { } type && _structs.TryGetValue(type, out StructLayoutInfo element) && table.Size > element.Size)
        {
            string index = (inner / element.Size).ToString(CultureInfo.InvariantCulture);
            return FieldAt(element, inner % element.Size) is { } field ? $"{name}.{table.Name}[{index}].{field.Name}" : $"{name}.{table.Name}[{index}]";
        }

        return _structs.TryGetValue(table.TypeName, out StructLayoutInfo single) && FieldAt(single, inner) is { } part
            ? $"{name}.{table.Name}.{part.Name}"
            : $"{name}.{table.Name}";
    }

    private string InTable(string name, string elementType, int offset)
    {
        if (!_structs.TryGetValue(elementType, out StructLayoutInfo element) || element.Size <= 0)
        {
            return $"{name}+{offset}";
        }

        string index = (offset / element.Size).ToString(CultureInfo.InvariantCulture);
        return FieldAt(element, offset % element.Size) is { } field ? $"{name}[{index}].{field.Name}" : $"{name}[{index}]";
    }

    private static FieldLayoutInfo? FieldAt(StructLayoutInfo layout, int offset)
    {
        FieldLayoutInfo? found = null;
        foreach (FieldLayoutInfo field in layout.Fields)
        {
            if (field.Offset <= offset && offset < field.Offset + Math.Max(field.Size, 1))
            {
                found = field;
            }
        }

        return found;
    }

    /// <summary>The entry type a per-process table of <paramref name="structure"/> holds (as the Scattered plan names it).</summary>
    private static string? ElementOf(KernelStructure structure) => structure switch
    {
        KernelStructure.Threads => nameof(ThreadEntry),
        KernelStructure.Joins => nameof(JoinCondition),
        KernelStructure.Returns => nameof(ReturnValue),
        KernelStructure.Stacks => nameof(ThreadStacks),
        KernelStructure.Board => nameof(SysboardEntry),
        KernelStructure.Mutexes => nameof(MutexEntry),
        KernelStructure.Semaphores => nameof(SemaphoreEntry),
        KernelStructure.Conditions => nameof(ConditionEntry),
        KernelStructure.IkcDescriptors => nameof(IkcEntry),
        _ => null,
    };
}
