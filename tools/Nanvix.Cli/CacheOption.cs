using System.Globalization;
using Nanvix.Arch.Cache;

namespace Nanvix.Cli;

/// <summary>
/// Reading <c>--icache</c> and <c>--dcache</c>: <c>SIZE[:WAYS[:LINE]]</c>, SIZE in bytes or with a K suffix (2K, 16KB),
/// the machine's ways and line size where left out, its write policy always.
/// </summary>
public static class CacheOption
{
    /// <summary>Largest cache the option takes: 1 MB (a cluster's whole memory is 2 MB).</summary>
    public const int MaxBytes = 1 << 20;

    public static bool TryParse(string text, CacheGeometry machine, out CacheGeometry geometry, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(machine);
        geometry = machine;
        string[] parts = text.Split(':');
        if (parts.Length > 3 || !TrySize(parts[0], out int size)
            || !TryCount(parts, 1, machine.Ways, out int ways) || !TryCount(parts, 2, machine.LineBytes, out int line))
        {
            problem = $"'{text}' is not SIZE[:WAYS[:LINE]] (for example 2K, 16K:4 or 8192:2:64)";
            return false;
        }

        var candidate = new CacheGeometry(size, ways, line, machine.WritePolicy);
        if (size > MaxBytes || line > 4096 || ways > 64 || !IsPowerOfTwo(size) || !IsPowerOfTwo(ways) || !IsPowerOfTwo(line) || line < 4 || size < ways * line)
        {
            problem = $"'{text}': size, ways and line must be powers of two, the lines 4 B to 4 KB, at most 64 ways and 1 MB, and at least one set ({size} B, {ways}-way, {line} B lines)";
            return false;
        }

        geometry = candidate;
        problem = null;
        return true;
    }

    /// <summary>As <c>--stats</c> and <c>-v</c> say a geometry: size:ways:line in bytes.</summary>
    public static string Describe(CacheGeometry geometry) =>
        string.Create(CultureInfo.InvariantCulture, $"{geometry.SizeBytes}:{geometry.Ways}:{geometry.LineBytes}");

    private static bool TrySize(string text, out int size)
    {
        string digits = text.Trim();
        int multiplier = 1;
        foreach (string suffix in (string[])["KB", "K"])
        {
            if (digits.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                digits = digits[..^suffix.Length];
                multiplier = 1024;
                break;
            }
        }

        size = 0;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value * multiplier > int.MaxValue || value == 0)
        {
            return false;
        }

        size = (int)(value * multiplier);
        return true;
    }

    private static bool TryCount(string[] parts, int index, int fallback, out int value)
    {
        value = fallback;
        return parts.Length <= index || (int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0);
    }

    private static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;
}
