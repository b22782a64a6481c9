using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Nanvix.Analyzers.Layout;

/// <summary>
/// Emits the marker attributes into every consuming project and, for every [KernelStruct], layout metadata as plain
/// static data (usable from NativeAOT: no reflection) plus a check that the runtime layout matches it. Each assembly
/// gets <c>&lt;AssemblyName&gt;.Layout.KernelLayouts</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KernelLayoutGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for the incremental-cache tests.</summary>
    public const string StructStep = "KernelStructModels";
    public const string TableStep = "KernelStructTable";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(static post =>
        {
            post.AddEmbeddedAttributeDefinition();
            post.AddSource(KernelAttributeSources.HintName, KernelAttributeSources.Text);
        });

        IncrementalValuesProvider<KernelStructModel> structs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KernelAttributeNames.KernelStruct,
                static (node, _) => node is StructDeclarationSyntax,
                static (attributed, cancellation) => CreateModel(attributed, cancellation))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(StructStep);

        IncrementalValueProvider<EquatableArray<KernelStructModel>> table = structs
            .Collect()
            .Select(static (models, _) => new EquatableArray<KernelStructModel>(
                models.Sort(static (left, right) => string.CompareOrdinal(left.DisplayName, right.DisplayName))))
            .WithTrackingName(TableStep);

        IncrementalValueProvider<string> layoutNamespace = context.CompilationProvider
            .Select(static (compilation, _) => LayoutSourceWriter.NamespaceFor(compilation.AssemblyName));

        IncrementalValueProvider<bool> ownsMetadataTypes = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(LayoutMetadataSources.StructInfoMetadataName) is null);

        context.RegisterSourceOutput(ownsMetadataTypes, static (output, owns) =>
        {
            if (owns)
            {
                output.AddSource(LayoutMetadataSources.HintName, LayoutMetadataSources.Text);
            }
        });

        context.RegisterSourceOutput(table.Combine(layoutNamespace), static (output, input) =>
            output.AddSource(LayoutSourceWriter.HintName, LayoutSourceWriter.Write(input.Right, input.Left)));
    }

    private static KernelStructModel? CreateModel(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellation)
    {
        if (attributed.TargetSymbol is not INamedTypeSymbol type || KernelLayoutRules.DeclaredSize(type) is not int size)
        {
            return null;
        }

        ImmutableArray<KernelFieldModel>.Builder fields = ImmutableArray.CreateBuilder<KernelFieldModel>();
        foreach (IFieldSymbol field in KernelLayoutRules.InstanceFields(type))
        {
            cancellation.ThrowIfCancellationRequested();
            FieldMeasure measure = KernelLayoutRules.Measure(field);
            string typeName = field.IsFixedSizeBuffer && field.Type is IPointerTypeSymbol buffer
                ? buffer.PointedAtType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "[" + field.FixedSize + "]"
                : field.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            bool needsPointer = measure.IsFixedBuffer || field.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer;
            fields.Add(new KernelFieldModel(
                field.Name,
                typeName,
                measure.Offset ?? -1,
                measure.Size ?? -1,
                KernelLayoutRules.IsHostOnly(field),
                needsPointer,
                measure.IsFixedBuffer));
        }

        return new KernelStructModel(
            type.ToDisplayString(),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            size,
            CanBeNamedFromGeneratedCode(type),
            new EquatableArray<KernelFieldModel>(fields.ToImmutable()));
    }

    /// <summary>Generated code lives in its own namespace: it can check only types it can name and instantiate.</summary>
    private static bool CanBeNamedFromGeneratedCode(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
