using System.Text.Json;

namespace Nanvix.Cli;

/// <summary>
/// Reads an image file strictly: plain JSON (no comments, no trailing commas), every key known and given once, every
/// value of the kind its key takes. A mistake is one message that says where (<c>programs[1].args[0]</c>) and what was
/// expected, in the words of the file rather than of .NET.
/// </summary>
public static class ImageFileReader
{
    /// <summary>What an image looks like, for the messages.</summary>
    public const string Example = "{\"programs\": [{\"cluster\": \"CC0\", \"program\": \"hello.elf\", \"args\": []}]}";

    private static readonly string[] TopKeys = ["description", "programs", "library"];

    private static readonly string[] ProgramKeys = ["cluster", "program", "args"];

    /// <summary>The image that <paramref name="utf8"/> describes.</summary>
    /// <exception cref="FormatException">It is not valid JSON or not an image; the message says where and why.</exception>
    public static ImageFile Parse(ReadOnlyMemory<byte> utf8)
    {
        var options = new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, options);
        }
        catch (JsonException e)
        {
            throw new FormatException(SyntaxMessage(utf8.Span, e));
        }

        using (document)
        {
            return Image(document.RootElement);
        }
    }

    private static ImageFile Image(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "the file", $"an object such as {Example}");
        string? description = null;
        IReadOnlyList<ImageProgram>? programs = null;
        IReadOnlyList<string> library = [];
        foreach (JsonProperty property in Properties(root, null, TopKeys, "the top level"))
        {
            switch (property.Name)
            {
                case "description":
                    description = Text(property.Value, "description", "a string");
                    break;
                case "programs":
                    programs = Programs(property.Value);
                    break;
                default:
                    library = Strings(property.Value, "library", "a path to an ELF file", path: true);
                    break;
            }
        }

        if (programs is not { Count: > 0 })
        {
            throw new FormatException($"no programs (expected {Example})");
        }

        return new ImageFile(description, programs, library);
    }

    private static List<ImageProgram> Programs(JsonElement value)
    {
        Expect(value, JsonValueKind.Array, "programs", "an array of programs");
        var programs = new List<ImageProgram>();
        int index = 0;
        foreach (JsonElement entry in value.EnumerateArray())
        {
            string where = $"programs[{index++}]";
            Expect(entry, JsonValueKind.Object, where, "an object with \"cluster\", \"program\" and \"args\"");
            string? cluster = null;
            string? program = null;
            IReadOnlyList<string> args = [];
            foreach (JsonProperty property in Properties(entry, where, ProgramKeys, "a program"))
            {
                string at = $"{where}.{property.Name}";
                switch (property.Name)
                {
                    case "cluster":
                        cluster = Text(property.Value, at, "the name of a compute cluster (CC0, CC1, ...)");
                        break;
                    case "program":
                        program = Path(property.Value, at);
                        break;
                    default:
                        args = Strings(property.Value, at, "an argument string", path: false);
                        break;
                }
            }

            if (cluster is null || program is null)
            {
                throw new FormatException($"{where}: needs \"cluster\" and \"program\" (for example {{\"cluster\": \"CC0\", \"program\": \"hello.elf\"}})");
            }

            programs.Add(new ImageProgram(cluster, program, args));
        }

        return programs;
    }

    /// <summary>The properties of <paramref name="value"/>, each a key of <paramref name="known"/> given at most once.</summary>
    private static List<JsonProperty> Properties(JsonElement value, string? where, string[] known, string what)
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

    private static List<string> Strings(JsonElement value, string where, string element, bool path)
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

    private static string Path(JsonElement value, string where)
    {
        string path = Text(value, where, "a path to an ELF file");
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new FormatException($"{where}: {(path.Length == 0 ? "an empty path names no file" : "a path cannot hold a NUL character")}");
        }

        return path;
    }

    private static string Text(JsonElement value, string where, string expected)
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

    private static void Expect(JsonElement value, JsonValueKind kind, string where, string expected)
    {
        if (value.ValueKind != kind)
        {
            throw new FormatException($"{where}: expected {expected}, found {KindName(value.ValueKind)}");
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static string Quote(string key) => $"\"{JsonEncodedText.Encode(key)}\"";

    /// <summary>The parser's complaint in one line, with the line and column (from 1) and without .NET's vocabulary.</summary>
    private static string SyntaxMessage(ReadOnlySpan<byte> utf8, JsonException e)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return $"the file is empty (expected {Example})";
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
            message += " (an image file is plain JSON: no comments)";
        }
        else if (message.Contains("trailing comma", StringComparison.OrdinalIgnoreCase))
        {
            message = "a comma after the last element (an image file is plain JSON: none there)";
        }

        return e.LineNumber is { } line
            ? $"not valid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}"
            : $"not valid JSON: {message}";
    }
}
