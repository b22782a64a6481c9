using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Nanvix.Analyzers.Portability;

/// <summary>
/// Keeps arch/, hal/ and kernel/ free of reflection, <c>dynamic</c> and run-time code generation or loading, all of
/// which NativeAOT either cannot run or can only run after trimming guesses. It applies to projects whose MSBuild
/// property NanvixKernelCode is true (Directory.Build.props sets it by folder).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KernelPortabilityAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] CodeGenerationNamespaces =
    {
        "System.Reflection.Emit",
        "System.Runtime.Loader",
        "System.CodeDom.Compiler",
        "Microsoft.CodeAnalysis",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        KernelDiagnostics.Reflection,
        KernelDiagnostics.Dynamic,
        KernelDiagnostics.RuntimeCodeGeneration);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (!start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(KernelAttributeNames.KernelCodeProperty, out string? value)
                || !string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            start.RegisterOperationAction(
                AnalyzeMemberUse,
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.PropertyReference,
                OperationKind.FieldReference,
                OperationKind.MethodReference,
                OperationKind.EventReference);
            start.RegisterSyntaxNodeAction(AnalyzeDynamic, SyntaxKind.IdentifierName);
        });
    }

    private static void AnalyzeMemberUse(OperationAnalysisContext context)
    {
        ISymbol? member = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            IMemberReferenceOperation reference => reference.Member,
            _ => null,
        };

        if (member?.ContainingType is not { } type || InsideAttribute(context.Operation))
        {
            return;
        }

        IOperation? receiver = context.Operation switch
        {
            IInvocationOperation invocation => invocation.Instance,
            IMemberReferenceOperation reference => reference.Instance,
            _ => null,
        };
        if (receiver?.Type is { } receiverType && receiverType.SpecialType != SpecialType.System_Object
            && (IsReflectionNamespace(Namespace(receiverType)) || IsCodeGenerationNamespace(Namespace(receiverType))))
        {
            // Already reported where the reflection object was obtained.
            return;
        }

        ITypeSymbol? result = member switch
        {
            IMethodSymbol method => method.ReturnType,
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };

        string display = type.Name + "." + member.Name;
        if (IsCodeGeneration(type, member))
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.RuntimeCodeGeneration, context.Operation.Syntax.GetLocation(), display));
        }
        else if (IsReflection(type, member, result))
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.Reflection, context.Operation.Syntax.GetLocation(), display));
        }
    }

    /// <summary>Attributes such as [assembly: AssemblyMetadata] are metadata, not run-time reflection.</summary>
    private static bool InsideAttribute(IOperation operation)
    {
        for (IOperation? current = operation; current is not null; current = current.Parent)
        {
            if (current.Kind == OperationKind.Attribute)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCodeGenerationNamespace(string space)
    {
        foreach (string banned in CodeGenerationNamespaces)
        {
            if (space == banned || space.StartsWith(banned + ".", System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCodeGeneration(INamedTypeSymbol type, ISymbol member)
    {
        string space = Namespace(type);
        if (IsCodeGenerationNamespace(space))
        {
            return true;
        }

        string typeName = space + "." + type.Name;
        return typeName switch
        {
            "System.Reflection.Assembly" => member.Name.StartsWith("Load", System.StringComparison.Ordinal) || member.Name == "UnsafeLoadFrom",
            "System.AppDomain" => member.Name.StartsWith("Load", System.StringComparison.Ordinal) || member.Name.StartsWith("ExecuteAssembly", System.StringComparison.Ordinal),
            "System.Linq.Expressions.LambdaExpression" or "System.Linq.Expressions.Expression" => member.Name is "Compile" or "CompileToMethod",
            _ => false,
        };
    }

    private static bool IsReflection(INamedTypeSymbol type, ISymbol member, ITypeSymbol? result)
    {
        if (member is IPropertySymbol && result?.SpecialType is SpecialType.System_String or SpecialType.System_Boolean
            && Namespace(type) + "." + type.Name is "System.Type" or "System.Reflection.MemberInfo")
        {
            // Identity queries such as typeof(T).Name or IsValueType are answered from metadata NativeAOT keeps.
            return false;
        }

        if (IsReflectionNamespace(Namespace(type)) || result is not null && MentionsReflection(result, 0))
        {
            return true;
        }

        string typeName = Namespace(type) + "." + type.Name;
        return typeName switch
        {
            "System.Type" => member.Name == "InvokeMember" || member.IsStatic && member.Name is "GetType" or "GetTypeFromProgID" or "GetTypeFromCLSID",
            "System.Activator" => true,
            _ => false,
        };
    }

    /// <summary>True for a reflection type, or an array or generic of one (MethodInfo[], IEnumerable&lt;FieldInfo&gt;).</summary>
    private static bool MentionsReflection(ITypeSymbol type, int depth)
    {
        const int MaximumNesting = 4;
        if (depth > MaximumNesting)
        {
            return false;
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                return MentionsReflection(array.ElementType, depth + 1);
            case INamedTypeSymbol named:
                if (IsReflectionNamespace(Namespace(named)))
                {
                    return true;
                }

                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (MentionsReflection(argument, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool IsReflectionNamespace(string space) =>
        space == "System.Reflection" || space.StartsWith("System.Reflection.", System.StringComparison.Ordinal);

    private static string Namespace(ISymbol symbol) =>
        symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

    private static void AnalyzeDynamic(SyntaxNodeAnalysisContext context)
    {
        var identifier = (IdentifierNameSyntax)context.Node;
        if (identifier.Identifier.ValueText == "dynamic"
            && context.SemanticModel.GetTypeInfo(identifier, context.CancellationToken).Type is { TypeKind: TypeKind.Dynamic })
        {
            context.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.Dynamic, identifier.GetLocation()));
        }
    }
}
