using Nanvix.Layout;

namespace Nanvix.Cli;

/// <summary>
/// Prints one kernel structure the way <c>pahole</c> does: a line per field with its offset and size, a comment
/// where a 64-byte cache line begins, holes, and a summary. Everything comes from the generated layout metadata.
/// </summary>
public static class StructReport
{
    /// <summary>Cache-line size of the MPPA-256 compute cores' I$ and D$.</summary>
    public const int CacheLine = 64;

    public static void Write(StructLayoutInfo layout, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int typeWidth = Math.Max(8, layout.Fields.Count == 0 ? 0 : layout.Fields.Max(f => f.TypeName.Length));
        int nameWidth = Math.Max(8, layout.Fields.Count == 0 ? 0 : layout.Fields.Max(f => f.Name.Length + 1));

        output.WriteLine($"struct {ShortName(layout.Name)} {{");
        int end = 0;
        int line = 0;
        int holes = 0;
        int holeBytes = 0;
        int memberBytes = 0;
        foreach (FieldLayoutInfo field in layout.Fields)
        {
            if (field.Offset > end)
            {
                WriteHole(output, field.Offset - end);
                holes++;
                holeBytes += field.Offset - end;
            }

            // As pahole: mark the first cache line that a field starts in, and how far into it the field begins.
            int fieldLine = field.Offset / CacheLine;
            if (fieldLine > line)
            {
                int into = field.Offset % CacheLine;
                string ago = into == 0 ? "" : $" was {into} bytes ago";
                output.WriteLine($"\t/* --- cacheline {fieldLine} boundary ({fieldLine * CacheLine} bytes){ago} --- */");
                line = fieldLine;
            }

            int size = Math.Max(field.Size, 0);
            string host = field.IsHostOnly ? " host-only" : "";
            output.WriteLine($"\t{field.TypeName.PadRight(typeWidth)} {(field.Name + ";").PadRight(nameWidth)} /* {field.Offset,5} {(field.Size < 0 ? "?" : field.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)),5}{host} */");
            memberBytes += size;
            end = Math.Max(end, field.Offset + size);
        }

        if (layout.Size > end)
        {
            WriteHole(output, layout.Size - end);
            holes++;
            holeBytes += layout.Size - end;
        }

        int cachelines = (layout.Size + CacheLine - 1) / CacheLine;
        int last = layout.Size % CacheLine;
        output.WriteLine();
        output.WriteLine($"\t/* size: {layout.Size}, cachelines: {cachelines}, members: {layout.Fields.Count} */");
        output.WriteLine($"\t/* sum members: {memberBytes}, holes: {holes}, sum holes: {holeBytes} */");
        if (last != 0)
        {
            output.WriteLine($"\t/* last cacheline: {last} bytes */");
        }

        output.WriteLine("};");
    }

    /// <summary>The type name without its namespace (<c>Nanvix.Kernel.Layout.UArea</c> → <c>UArea</c>).</summary>
    public static string ShortName(string name) => name[(name.LastIndexOf('.') + 1)..];

    private static void WriteHole(TextWriter output, int bytes) => output.WriteLine($"\t/* XXX {bytes} bytes hole, try to pack */");
}
