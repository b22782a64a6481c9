namespace Nanvix.Analyzers.Layout;

/// <summary>What the compiler can tell about one field of a kernel structure: where it starts and how big it is.</summary>
internal readonly struct FieldMeasure
{
    public FieldMeasure(int? offset, int? size, bool isHostDependent, bool isFixedBuffer)
    {
        Offset = offset;
        Size = size;
        IsHostDependent = isHostDependent;
        IsFixedBuffer = isFixedBuffer;
    }

    /// <summary>The [FieldOffset], or null when the field has none.</summary>
    public int? Offset { get; }

    /// <summary>The size in bytes (host-dependent parts counted as 8), or null when it cannot be known.</summary>
    public int? Size { get; }

    /// <summary>True when the size changes with the host: nint, nuint, pointers, function pointers.</summary>
    public bool IsHostDependent { get; }

    /// <summary>True for a C# fixed buffer, whose offset can only be taken in unsafe code.</summary>
    public bool IsFixedBuffer { get; }
}
