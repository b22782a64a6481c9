namespace Nanvix.Analyzers.Layout;

/// <summary>One kernel structure as the generator publishes it; a record so the incremental cache can compare it.</summary>
/// <param name="DisplayName">The structure's name with its namespace, as the layout report shows it.</param>
/// <param name="QualifiedName">The structure's global:: name, for the generated check.</param>
/// <param name="Size">The size declared by [KernelStruct].</param>
/// <param name="CanVerify">False when generated code cannot name the type (private nesting, generics).</param>
/// <param name="Fields">The instance fields in declaration order.</param>
internal sealed record KernelStructModel(
    string DisplayName,
    string QualifiedName,
    int Size,
    bool CanVerify,
    EquatableArray<KernelFieldModel> Fields);
