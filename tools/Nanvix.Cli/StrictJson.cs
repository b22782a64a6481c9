using System.Text.Json;

namespace Nanvix.Cli;

/// <summary>
/// The strict reading that the host's JSON inputs (image files, sweep files) share: every key known and given once,
/// every value of the kind its key takes, and a mistake told as one message that says where and what was expected,
/// in the words of the file rather than of .NET. Each helper throws <see cref="FormatException"/>.
/// </summary>
internal static class StrictJson
{
    /// <summary>How a strict reader opens a document: plain JSON, no comments, no trailing commas.</summary>
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    /// <summary>The document <paramref name="utf8"/> holds; <paramref name="fileKind"/> ("an image file") and <paramref name="example"/> go into the message.</summary>
    /// <exception cref="FormatException">It is not valid JSON; the message gives the line and column.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string fileKind, string example)
    {
        try
        {
            return JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException(SyntaxMessage(utf8.Span, e, fileKind, example));
        }
    }

    /// <summary>The properties of <paramref name="value"/>, each a key of <paramref name="known"/> given at most once.</summary>
    public static List<JsonProperty> Properties(JsonElement value, string? where, string[] known, string what)
    {
        string prefix = where is null ? "" : where + ": ";
        var properties = new List<JsonProperty>();
        foreach (JsonProperty property in value.EnumerateObject())
        {
            try
            {
                _ = property.Name;
            }
            catch (InvalidOperationException)
            {
                throw new FormatException($"{prefix}a key holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)");
            }

            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new FormatException($"{prefix}unknown key {Quote(property.Name)} ({what} takes {string.Join(", ", known.Select(Quote))})");
            }

            if (properties.Exists(p => p.Name == property.Name))
            {
                throw new FormatException($"{prefix}key {Quote(property.Name)} given twice");
            }

            properties.Add(property);
        }

        return properties;
    }

    public static List<string> Strings(JsonElement value, string where, string element, bool path)
    {
        Expect(value, JsonValueKind.Array, where, $"an array, each element {element}");
        var strings = new List<string>();
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string at = $"{where}[{index++}]";
            if (path)
            {
                strings.Add(Path(item, at));
            }
            else
            {
                string text = Text(item, at, element);
                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    throw new FormatException($"{at}: an argument cannot hold a NUL character (a C string ends there)");
                }

                strings.Add(text);
            }
        }

        return strings;
    }

    public static string Path(JsonElement value, string where)
    {
        string path = Text(value, where, "a path to an ELF file");
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new FormatException($"{where}: {(path.Length == 0 ? "an empty path names no file" : "a path cannot hold a NUL character")}");
        }

        return path;
    }

    public static string Text(JsonElement value, string where, string expected)
    {
        Expect(value, JsonValueKind.String, where, expected);
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // JSON allows "\ud800" alone; a string of .NET (and a path, and a C string) does not.
            throw new FormatException($"{where}: the string holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)");
        }
    }

    public static void Expect(JsonElement value, JsonValueKind kind, string where, string expected)
    {
        if (value.ValueKind != kind)
        {
            throw new FormatException($"{where}: expected {expected}, found {KindName(value.ValueKind)}");
        }
    }

    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    public static string Quote(string key) => $"\"{JsonEncodedText.Encode(key)}\"";

    /// <summary>The parser's complaint in one line, with the line and column (from 1) and without .NET's vocabulary.</summary>
    private static string SyntaxMessage(ReadOnlySpan<byte> utf8, JsonException e, string fileKind, string example)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return $"the file is empty (expected {example})";
        }

        string message = e.Message;
        int position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position >= 0)
        {
            message = message[..position];
        }

        message = message
            .Replace(", while isFinalBlock is true", " before the end of the file", StringComparison.Ordinal)
            .Replace(" when isFinalBlock is true", " at the end of the file", StringComparison.Ordinal)
            .Replace("JSON payload", "file", StringComparison.Ordinal)
            .TrimEnd('.');
        if (message.StartsWith("'/' is", StringComparison.Ordinal))
        {
            message += $" ({fileKind} is plain JSON: no comments)";
        }
        else if (message.Contains("trailing comma", StringComparison.OrdinalIgnoreCase))
        {
            message = $"a comma after the last element ({fileKind} is plain JSON: none there)";
        }

        return e.LineNumber is { } line
            ? $"not valid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}"
            : $"not valid JSON: {message}";
    }
}
