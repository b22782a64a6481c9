namespace Nanvix.Analyzers.Layout;

/// <summary>One field of a kernel structure as the generator publishes it; a record so the incremental cache can compare it.</summary>
/// <param name="Name">The field's name in C#.</param>
/// <param name="TypeName">The field's type as C# shows it (element type and length for a fixed buffer).</param>
/// <param name="Offset">The [FieldOffset] in bytes, or -1 when it has none.</param>
/// <param name="Size">The size in bytes (host-only fields count 8), or -1 when it is unknown.</param>
/// <param name="IsHostOnly">True for a [HostOnly] field, whose size follows the host.</param>
/// <param name="NeedsPointer">True when only pointer arithmetic can take its offset (fixed buffers, pointers).</param>
/// <param name="IsFixedBuffer">True for a C# fixed buffer, which is already a pointer to its first element.</param>
internal sealed record KernelFieldModel(
    string Name,
    string TypeName,
    int Offset,
    int Size,
    bool IsHostOnly,
    bool NeedsPointer,
    bool IsFixedBuffer);
