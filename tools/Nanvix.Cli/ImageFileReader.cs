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
        JsonDocument document = StrictJson.Parse(utf8, "an image file", Example);
        using (document)
        {
            return Image(document.RootElement);
        }
    }

    private static ImageFile Image(JsonElement root)
    {
        StrictJson.Expect(root, JsonValueKind.Object, "the file", $"an object such as {Example}");
        string? description = null;
        IReadOnlyList<ImageProgram>? programs = null;
        IReadOnlyList<string> library = [];
        foreach (JsonProperty property in StrictJson.Properties(root, null, TopKeys, "the top level"))
        {
            switch (property.Name)
            {
                case "description":
                    description = StrictJson.Text(property.Value, "description", "a string");
                    break;
                case "programs":
                    programs = Programs(property.Value);
                    break;
                default:
                    library = StrictJson.Strings(property.Value, "library", "a path to an ELF file", path: true);
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
        StrictJson.Expect(value, JsonValueKind.Array, "programs", "an array of programs");
        var programs = new List<ImageProgram>();
        int index = 0;
        foreach (JsonElement entry in value.EnumerateArray())
        {
            string where = $"programs[{index++}]";
            StrictJson.Expect(entry, JsonValueKind.Object, where, "an object with \"cluster\", \"program\" and \"args\"");
            string? cluster = null;
            string? program = null;
            IReadOnlyList<string> args = [];
            foreach (JsonProperty property in StrictJson.Properties(entry, where, ProgramKeys, "a program"))
            {
                string at = $"{where}.{property.Name}";
                switch (property.Name)
                {
                    case "cluster":
                        cluster = StrictJson.Text(property.Value, at, "the name of a compute cluster (CC0, CC1, ...)");
                        break;
                    case "program":
                        program = StrictJson.Path(property.Value, at);
                        break;
                    default:
                        args = StrictJson.Strings(property.Value, at, "an argument string", path: false);
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
}
