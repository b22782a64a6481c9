namespace System.Runtime.CompilerServices;

/// <summary>
/// Lets netstandard2.0 (the target the compiler loads analyzers from) declare records, whose value equality
/// keeps the generator's incremental cache honest.
/// </summary>
internal static class IsExternalInit
{
}
