using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Nanvix.Analyzers.Layout;

/// <summary>
/// The compile-time layout arithmetic shared by the analyzer (which checks it) and the generator (which publishes it),
/// so that both always agree on a kernel structure's offsets and sizes.
/// </summary>
internal static class KernelLayoutRules
{
    /// <summary>The size a host-dependent field counts for: the 64-bit hosts .NET 10 NativeAOT targets here.</summary>
    public const int HostPointerSize = 8;

    private const int LayoutKindExplicit = 2;
    private const int MaximumNesting = 16;

    /// <summary>The size declared by [KernelStruct(size)], or null when the type is not a kernel structure.</summary>
    public static int? DeclaredSize(ITypeSymbol type)
    {
        AttributeData? attribute = Find(type, KernelAttributeNames.KernelStruct);
        return attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is int size ? size : null;
    }

    /// <summary>True when the struct has [StructLayout(LayoutKind.Explicit)].</summary>
    public static bool HasExplicitLayout(INamedTypeSymbol type, out int? layoutSize)
    {
        layoutSize = null;
        AttributeData? attribute = Find(type, KernelAttributeNames.StructLayout);
        if (attribute is null || attribute.ConstructorArguments.Length != 1)
        {
            return false;
        }

        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Size" && named.Value.Value is int size)
            {
                layoutSize = size;
            }
        }

        object? kind = attribute.ConstructorArguments[0].Value;
        return kind is int value && value == LayoutKindExplicit || kind is short shortValue && shortValue == LayoutKindExplicit;
    }

    /// <summary>The instance fields that make up the structure, in declaration order.</summary>
    public static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
            {
                yield return field;
            }
        }
    }

    public static bool IsHostOnly(IFieldSymbol field) => Find(field, KernelAttributeNames.HostOnly) is not null;

    public static FieldMeasure Measure(IFieldSymbol field)
    {
        AttributeData? offsetAttribute = Find(field, KernelAttributeNames.FieldOffset);
        int? offset = offsetAttribute is { ConstructorArguments.Length: 1 } && offsetAttribute.ConstructorArguments[0].Value is int value ? value : null;

        if (field.IsFixedSizeBuffer && field.Type is IPointerTypeSymbol buffer)
        {
            bool elementHost = false;
            int? element = SizeOf(buffer.PointedAtType, 0, ref elementHost);
            return new FieldMeasure(offset, element * field.FixedSize, elementHost, isFixedBuffer: true);
        }

        bool host = false;
        int? size = SizeOf(field.Type, 0, ref host);
        return new FieldMeasure(offset, size, host, isFixedBuffer: false);
    }

    /// <summary>
    /// The size of a field type, when the compiler can know it: primitives, enums, pointers, other kernel
    /// structures (their declared size) and [InlineArray] structs of those.
    /// </summary>
    public static int? SizeOf(ITypeSymbol type, int depth, ref bool hostDependent)
    {
        if (depth > MaximumNesting)
        {
            return null;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
                return 1;
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Char:
                return 2;
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                return 4;
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
                return 8;
            case SpecialType.System_Decimal:
                return 16;
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                hostDependent = true;
                return HostPointerSize;
        }

        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            hostDependent = true;
            return HostPointerSize;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            return SizeOf(underlying, depth + 1, ref hostDependent);
        }

        if (DeclaredSize(type) is int declared)
        {
            return declared;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Struct } named)
        {
            AttributeData? inline = Find(named, KernelAttributeNames.InlineArray);
            if (inline is { ConstructorArguments.Length: 1 } && inline.ConstructorArguments[0].Value is int length)
            {
                IFieldSymbol? element = null;
                foreach (IFieldSymbol field in InstanceFields(named))
                {
                    element = field;
                }

                int? elementSize = element is null ? null : SizeOf(element.Type, depth + 1, ref hostDependent);
                return elementSize * length;
            }

            string name = named.ToDisplayString();
            return name switch
            {
                "System.Half" => 2,
                "System.Int128" or "System.UInt128" or "System.Guid" => 16,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>The field of a kernel structure that holds a managed reference, if any.</summary>
    public static IFieldSymbol? FirstManagedField(INamedTypeSymbol type)
    {
        foreach (IFieldSymbol field in InstanceFields(type))
        {
            if (!field.IsFixedSizeBuffer && !field.Type.IsUnmanagedType)
            {
                return field;
            }
        }

        return null;
    }

    private static AttributeData? Find(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && FullMetadataName(attributeClass) == metadataName)
            {
                return attribute;
            }
        }

        return null;
    }

    private static string FullMetadataName(INamedTypeSymbol type)
    {
        string? space = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;
        return space is null ? type.MetadataName : space + "." + type.MetadataName;
    }
}
