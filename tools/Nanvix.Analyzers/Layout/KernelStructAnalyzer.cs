using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nanvix.Analyzers.Layout;

/// <summary>
/// Checks every [KernelStruct]: unmanaged, explicit layout, a declared size equal to where its fields end, and no
/// host-sized field unless it is [HostOnly]. These are the rules that let a structure be copied between clusters
/// and printed by <c>nanvix layout</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KernelStructAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        KernelDiagnostics.NotUnmanaged,
        KernelDiagnostics.NoExplicitLayout,
        KernelDiagnostics.SizeMismatch,
        KernelDiagnostics.LayoutSizeDisagrees,
        KernelDiagnostics.HostDependentField,
        KernelDiagnostics.UnknownFieldSize);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Struct || KernelLayoutRules.DeclaredSize(type) is not int declared)
        {
            return;
        }

        Location location = type.Locations.Length > 0 ? type.Locations[0] : Location.None;
        string name = type.ToDisplayString();

        if (KernelLayoutRules.FirstManagedField(type) is { } managed)
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.NotUnmanaged, FieldLocation(managed, location), name, managed.Name));
        }

        if (!KernelLayoutRules.HasExplicitLayout(type, out int? layoutSize))
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.NoExplicitLayout, location, name, declared));
        }
        else if (layoutSize is int size && size != declared)
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.LayoutSizeDisagrees, location, name, declared, size));
        }

        int end = 0;
        bool allKnown = true;
        foreach (IFieldSymbol field in KernelLayoutRules.InstanceFields(type))
        {
            FieldMeasure measure = KernelLayoutRules.Measure(field);
            string fieldType = field.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (measure.IsHostDependent && !KernelLayoutRules.IsHostOnly(field))
            {
                context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.HostDependentField, FieldLocation(field, location), field.Name, name, fieldType));
            }

            if (measure.Size is null)
            {
                allKnown = false;
                if (field.Type.IsUnmanagedType || field.IsFixedSizeBuffer)
                {
                    context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.UnknownFieldSize, FieldLocation(field, location), field.Name, name, fieldType));
                }
            }
            else if (measure.Offset is int offset)
            {
                end = System.Math.Max(end, offset + measure.Size.Value);
            }
            else
            {
                // Without explicit offsets there is nothing to add up; NNX102 already says so.
                allKnown = false;
            }
        }

        if (allKnown && end != declared)
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.SizeMismatch, location, name, declared, end));
        }
    }

    private static Location FieldLocation(IFieldSymbol field, Location fallback) =>
        field.Locations.Length > 0 && field.Locations[0].IsInSource ? field.Locations[0] : fallback;
}
