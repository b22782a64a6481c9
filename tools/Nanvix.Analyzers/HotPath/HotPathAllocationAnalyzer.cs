using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Nanvix.Analyzers.HotPath;

/// <summary>
/// Bans hidden managed heap allocation in code marked [KernelHotPath] (on the member or on a containing type), in
/// the spirit of Roslyn's PerformanceSensitive analyzers. Static constructors and static field initializers run
/// once and are exempt; so is everything inside a <c>throw</c>, which ends the hot path.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HotPathAllocationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        KernelDiagnostics.HeapAllocation,
        KernelDiagnostics.Boxing,
        KernelDiagnostics.DelegateAllocation,
        KernelDiagnostics.Linq,
        KernelDiagnostics.Enumerator,
        KernelDiagnostics.StringBuilding,
        KernelDiagnostics.ParamsArray);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? hotPath = start.Compilation.GetTypeByMetadataName(KernelAttributeNames.HotPath);
            if (hotPath is null)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block =>
            {
                if (!IsHotPath(block.OwningSymbol, hotPath))
                {
                    return;
                }

                string member = block.OwningSymbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
                block.RegisterOperationAction(c => AnalyzeObjectCreation(c, member), OperationKind.ObjectCreation, OperationKind.AnonymousObjectCreation, OperationKind.TypeParameterObjectCreation, OperationKind.With);
                block.RegisterOperationAction(c => AnalyzeArrayCreation(c, member), OperationKind.ArrayCreation);
                block.RegisterOperationAction(c => AnalyzeCollectionExpression(c, member), OperationKind.CollectionExpression);
                block.RegisterOperationAction(c => AnalyzeConversion(c, member), OperationKind.Conversion);
                block.RegisterOperationAction(c => AnalyzeAnonymousFunction(c, member), OperationKind.AnonymousFunction);
                block.RegisterOperationAction(c => AnalyzeDelegateCreation(c, member), OperationKind.DelegateCreation);
                block.RegisterOperationAction(c => AnalyzeInvocation(c, member), OperationKind.Invocation);
                block.RegisterOperationAction(c => AnalyzeYield(c, member), OperationKind.YieldReturn);
                block.RegisterOperationAction(c => AnalyzeForEach(c, member), OperationKind.Loop);
                block.RegisterOperationAction(c => AnalyzeStringBuilding(c, member), OperationKind.Binary, OperationKind.CompoundAssignment, OperationKind.InterpolatedString);
                block.RegisterOperationAction(c => AnalyzeArgument(c, member), OperationKind.Argument);
            });
        });
    }

    /// <summary>A member is hot when it, its property or event, or any type around it carries [KernelHotPath].</summary>
    private static bool IsHotPath(ISymbol owner, INamedTypeSymbol hotPath)
    {
        if (owner is IMethodSymbol { MethodKind: MethodKind.StaticConstructor } or IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true })
        {
            // Run once, before any hot path does.
            return false;
        }

        if (HasAttribute(owner, hotPath) || owner is IMethodSymbol { AssociatedSymbol: { } associated } && HasAttribute(associated, hotPath))
        {
            return true;
        }

        for (INamedTypeSymbol? type = owner.ContainingType; type is not null; type = type.ContainingType)
        {
            if (HasAttribute(type, hotPath))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An exception is built once, on the way out of the hot path: allocation there is accepted.</summary>
    private static bool IsExempt(IOperation operation)
    {
        for (IOperation? current = operation; current is not null; current = current.Parent)
        {
            if (current.Kind is OperationKind.Throw or OperationKind.Attribute)
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor rule, params object[] arguments)
    {
        if (!IsExempt(context.Operation))
        {
            context.ReportDiagnostic(Diagnostic.Create(rule, context.Operation.Syntax.GetLocation(), arguments));
        }
    }

    private static string Display(ITypeSymbol? type) =>
        type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "?";

    private static void AnalyzeObjectCreation(OperationAnalysisContext context, string member)
    {
        ITypeSymbol? type = context.Operation.Type;
        if (type is { IsReferenceType: true } || context.Operation.Kind == OperationKind.AnonymousObjectCreation)
        {
            Report(context, KernelDiagnostics.HeapAllocation, $"Creating '{Display(type)}'", member);
        }
    }

    private static void AnalyzeArrayCreation(OperationAnalysisContext context, string member)
    {
        var creation = (IArrayCreationOperation)context.Operation;
        if (creation.Syntax is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax)
        {
            return;
        }

        if (creation.IsImplicit && creation.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray })
        {
            // Reported once, as a params array, by AnalyzeArgument.
            return;
        }

        Report(context, KernelDiagnostics.HeapAllocation, $"Creating array '{Display(creation.Type)}'", member);
    }

    private static void AnalyzeCollectionExpression(OperationAnalysisContext context, string member)
    {
        var collection = (ICollectionExpressionOperation)context.Operation;
        bool emptyArray = collection.Type is IArrayTypeSymbol && collection.Elements.IsEmpty;
        if (collection.Type is { IsReferenceType: true } && !emptyArray)
        {
            // Span<T> and ReadOnlySpan<T> targets live on the stack or in the data section; arrays and lists do not.
            Report(context, KernelDiagnostics.HeapAllocation, $"Collection expression of type '{Display(collection.Type)}'", member);
        }
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, string member)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.Parent is IBinaryOperation { Type.SpecialType: SpecialType.System_String })
        {
            // The compiler calls ToString() on a value in a concatenation instead of boxing it; NNX006 reports the string.
            return;
        }

        if (conversion.Language == LanguageNames.CSharp && conversion.GetConversion().IsBoxing)
        {
            Report(context, KernelDiagnostics.Boxing, Display(conversion.Operand.Type), Display(conversion.Type), member);
        }
    }

    private static void AnalyzeAnonymousFunction(OperationAnalysisContext context, string member)
    {
        var function = (IAnonymousFunctionOperation)context.Operation;
        if (!function.Symbol.IsStatic && CapturesState(function))
        {
            Report(context, KernelDiagnostics.DelegateAllocation, "A lambda that captures state", member);
        }
    }

    /// <summary>
    /// A lambda that reads no local, parameter or <c>this</c> from outside itself compiles to a cached static
    /// delegate; one that does allocates a closure and a delegate each time it is created.
    /// </summary>
    private static bool CapturesState(IAnonymousFunctionOperation function)
    {
        Microsoft.CodeAnalysis.Text.TextSpan inside = function.Syntax.Span;
        foreach (IOperation operation in function.Body.Descendants())
        {
            ISymbol? variable = operation switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => function.Symbol.ContainingSymbol,
                _ => null,
            };

            if (variable is null)
            {
                continue;
            }

            if (operation is IInstanceReferenceOperation)
            {
                return true;
            }

            foreach (SyntaxReference declaration in variable.DeclaringSyntaxReferences)
            {
                if (declaration.SyntaxTree != function.Syntax.SyntaxTree || !inside.Contains(declaration.Span))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void AnalyzeDelegateCreation(OperationAnalysisContext context, string member)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (creation.Target is IMethodReferenceOperation method)
        {
            Report(context, KernelDiagnostics.DelegateAllocation, $"Converting method group '{method.Method.Name}' to '{Display(creation.Type)}'", member);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, string member)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        INamedTypeSymbol type = method.ContainingType;
        if (type.ContainingNamespace?.ToDisplayString() == "System.Linq" && type.Name is "Enumerable" or "Queryable" or "ParallelEnumerable" or "AsyncEnumerable")
        {
            Report(context, KernelDiagnostics.Linq, method.Name, member);
        }
        else if (type.SpecialType == SpecialType.System_String && method.Name is "Concat" or "Format" or "Join")
        {
            Report(context, KernelDiagnostics.StringBuilding, $"string.{method.Name}", member);
        }
    }

    private static void AnalyzeYield(OperationAnalysisContext context, string member) =>
        Report(context, KernelDiagnostics.Enumerator, "An iterator ('yield return')", member);

    private static void AnalyzeForEach(OperationAnalysisContext context, string member)
    {
        if (context.Operation is not IForEachLoopOperation || context.Operation.Syntax is not CommonForEachStatementSyntax statement)
        {
            return;
        }

        SemanticModel? model = context.Operation.SemanticModel;
        if (model is null || model.GetTypeInfo(statement.Expression, context.CancellationToken).Type is IArrayTypeSymbol or { SpecialType: SpecialType.System_String })
        {
            // The compiler turns foreach over an array or a string into an index loop: no enumerator exists.
            return;
        }

        ForEachStatementInfo info = model.GetForEachStatementInfo(statement);
        if (info.GetEnumeratorMethod?.ReturnType is { IsReferenceType: true } enumerator)
        {
            Report(context, KernelDiagnostics.Enumerator, $"foreach over '{Display(info.ElementType)}' through '{Display(enumerator)}'", member);
        }
    }

    private static void AnalyzeStringBuilding(OperationAnalysisContext context, string member)
    {
        IOperation operation = context.Operation;
        if (operation.ConstantValue.HasValue)
        {
            return;
        }

        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                Report(context, KernelDiagnostics.StringBuilding, "String concatenation", member);
                break;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound when compound.Type?.SpecialType == SpecialType.System_String:
                Report(context, KernelDiagnostics.StringBuilding, "String concatenation", member);
                break;
            case IInterpolatedStringOperation:
                Report(context, KernelDiagnostics.StringBuilding, "String interpolation", member);
                break;
        }
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, string member)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.ArgumentKind == ArgumentKind.ParamArray
            && argument.Value is IArrayCreationOperation { Initializer.ElementValues.IsEmpty: false }
            && argument.Parent is IInvocationOperation or IObjectCreationOperation)
        {
            string callee = argument.Parent is IInvocationOperation invocation
                ? invocation.TargetMethod.Name
                : ((IObjectCreationOperation)argument.Parent).Constructor?.ContainingType.Name ?? "?";
            Report(context, KernelDiagnostics.ParamsArray, callee, member);
        }
    }
}
