using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// Thousands of mutated image files and ELF files through the CLI's entry point, in-process, with fixed seeds: every
/// run ends with status 0, 2 (bad input), 124 (the budget every run is given) or a program's own status, and nothing
/// else — no exception escapes, no internal error, no stack trace.
/// </summary>
public sealed class CliFuzzTests : IDisposable
{
    /// <summary>Every fuzzed run stops here at the latest: a mutated program may well spin.</summary>
    private const string Budget = "200000";

    /// <summary>Pieces of JSON (and of what is not JSON) that a mutation puts anywhere.</summary>
    private static readonly string[] Tokens =
    [
        "null", ",", "}", "]", "{", "[", "\"", ":", "\"args\"", "\"arg\"", "\"programs\"", "\"library\"", "\"cluster\"", "\"program\"",
        "[null]", "\"\\u0000\"", "\"a\\u0000b\"", "1e999", "-1", "0", "18446744073709551616", "\"CC99\"", "\"IO0\"", "\"cc1\"", "{}", "[]",
        "\"\"", "true", "// c\n", "/* c */", "\"\\ud800\"", "\"../bin\"", "\"/dev/zero\"", "\"/\"", "\u00ff", "\t", "\"x\":1,", "[[[[[[[[[[[[[[[[[[[[",
        $"\"{new string('a', 3000)}\"", $"[{string.Join(",", Enumerable.Repeat("\"an argument\"", 400))}]", "[\"CC0\"]", "{\"cluster\": \"CC1\"}",
        "\"CC15\"", "\"hello.elf\"", "\"spawner.elf\"", "\"fault.elf\"", "[\"null\"]", "[\"all\"]",
    ];

    /// <summary>The moves a fuzzed image run asks for, if any.</summary>
    private static readonly string[][] Moves =
    [
        [], [], ["--migrate", "30000:CC3"], ["--migrate", "20000:CC7:2", "--migrate", "60000:CC0:2"], ["--migrate", "1:CC12", "--migrate", "40000:CC2:3"],
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void AssertHandled(int status, string error)
    {
        Assert.InRange(status, 0, 255);
        Assert.DoesNotContain("internal error", error);
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Mutated_image_files_are_run_or_refused_in_one_line_never_an_exception()
    {
        string bin = Path.Combine(RepositoryFiles.Root, "user", "bin").Replace('\\', '/');
        string[] images = [.. Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "user", "images"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => File.ReadAllText(path).Replace("../bin", bin, StringComparison.Ordinal))];
        // Half the mutants stay JSON (a value replaced, a key dropped, renamed or added: the image's meaning is wrong), the
        // other half are edits of the text (its syntax is wrong); few are cut short.
        // Some runs move a process as well, so that programs with odd arguments are frozen and moved mid-way too.
        Gen<(int, (int, double, int, int)[], int)> mutants = Gen.Select(
            Gen.Int[0, images.Length - 1],
            Gen.Select(Gen.Int[0, 9], Gen.Double[0, 1], Gen.Int[0, Tokens.Length - 1], Gen.Int[1, 40]).Array[1, 3],
            Gen.Int[0, Moves.Length - 1]);
        int runs = 0;
        int refused = 0;

        mutants.Sample(
            (image, mutations, moves) =>
            {
                byte[] text = System.Text.Encoding.UTF8.GetBytes(Mutate(images[image], mutations));
                RunMutant(text, ".json", path => ["run", "--quiet", "--max-cycles", Budget, "--image", path, .. Moves[moves]], ref runs, ref refused);
            },
            seed: "0N0XIzNsQ0O2",
            iter: 2000,
            threads: 1);

        Assert.Equal(2000, runs);
        Assert.InRange(refused, 200, 1990);
    }

    /// <summary>Runs the CLI in-process on one mutant written to a file; counts the run, and the refusal when it was one.</summary>
    private void RunMutant(byte[] contents, string extension, Func<string, string[]> arguments, ref int runs, ref int refused)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, contents);
        (int status, _, string error) = CliRunner.Run(arguments(path));
        File.Delete(path);
        AssertHandled(status, error);
        if (status == 2 && error.StartsWith("nanvix: ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref refused);
        }

        Interlocked.Increment(ref runs);
    }

    [Fact]
    public void Mutated_elf_files_are_run_or_refused_in_one_line_never_an_exception()
    {
        byte[] hello = RepositoryFiles.UserProgram("hello");
        byte[] echo = RepositoryFiles.UserProgram("echo");
        byte[][] programs = [hello, echo];

        // Most mutations hit the headers (the ELF header and the program headers), where the loader decides.
        Gen<(int, (int, int, byte)[], int)> mutants = Gen.Select(
            Gen.Int[0, programs.Length - 1],
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 8],
            Gen.Int[0, 20]);
        int runs = 0;
        int refused = 0;

        mutants.Sample(
            (program, mutations, cut) =>
            {
                byte[] bytes = MutateElf(programs[program], mutations, cut);
                RunMutant(bytes, ".elf", path => ["run", "--quiet", "--max-cycles", Budget, path, "an argument"], ref runs, ref refused);
            },
            seed: "0N0XIzNsQ0O2",
            iter: 1000,
            threads: 1);

        Assert.Equal(1000, runs);
        Assert.InRange(refused, 100, 990);
    }

    /// <summary>
    /// Applies the mutations: to the JSON tree (kinds 0-4: a value replaced by a token, a property dropped, renamed,
    /// added or given twice) or to the text (kinds 5-9: replace, insert, delete or duplicate a span, or cut it short).
    /// </summary>
    private static string Mutate(string text, (int Kind, double Where, int Token, int Length)[] mutations)
    {
        var builder = new StringBuilder(text);
        foreach ((int kind, double where, int token, int length) in mutations)
        {
            if (kind < 5 && Tree(builder.ToString()) is JsonObject root)
            {
                try
                {
                    MutateTree(root, kind, where, token);
                    builder.Clear().Append(root.ToJsonString().Replace("\\u0001", "", StringComparison.Ordinal));
                    continue;
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // A tree cannot hold a key twice nor write a lone surrogate back: the text edit below does instead.
                }
            }

            int at = (int)(where * builder.Length);
            int span = Math.Min(length, builder.Length - at);
            switch (kind - 5)
            {
                case 0:
                    builder.Remove(at, Math.Min(span, Tokens[token].Length)).Insert(at, Tokens[token]);
                    break;
                case 1:
                    builder.Insert(at, Tokens[token]);
                    break;
                case 2:
                    builder.Remove(at, span);
                    break;
                case 3:
                    builder.Insert(at, builder.ToString(at, span));
                    break;
                default:
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }

    private static void MutateTree(JsonObject root, int kind, double where, int token)
    {
        // Every node of the tree in document order; the mutation takes the one at the fraction 'where'.
        var nodes = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null)
            {
                return;
            }

            nodes.Add(node);
            if (node is JsonObject o)
            {
                foreach (KeyValuePair<string, JsonNode?> p in o.ToList())
                {
                    Walk(p.Value);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (JsonNode? item in a.ToList())
                {
                    Walk(item);
                }
            }
        }

        Walk(root);
        JsonNode target = nodes[(int)(where * (nodes.Count - 1))];
        JsonNode? replacement = Tokens[token] is var t && IsJson(t) ? JsonNode.Parse(t) : JsonValue.Create(t);
        JsonObject? owner = target as JsonObject ?? target.Parent as JsonObject;
        switch (kind)
        {
            case 0 when target.Parent is JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case 0 when target.Parent is JsonArray array:
                array[target.GetElementIndex()] = replacement;
                break;
            case 1 when owner is { Count: > 0 }:
                owner.Remove(owner.ElementAt(token % owner.Count).Key);
                break;
            case 2 when owner is { Count: > 0 }:
                string key = owner.ElementAt(token % owner.Count).Key;
                JsonNode? value = owner[key];
                owner.Remove(key);
                owner[key.Length > 1 ? key[..^1] : key + "s"] = value;
                break;
            case 3 when owner is not null:
                owner[$"k{token}"] = replacement;
                break;
            default:
                // The same key twice cannot be in a tree: the text gets it, as a second copy of the first property.
                if (owner is { Count: > 0 } && owner.ElementAt(0) is var first)
                {
                    owner[first.Key + "\u0001"] = first.Value?.DeepClone();
                }

                break;
        }
    }

    /// <summary>The text as a JSON object, or null when an earlier edit left it something else.</summary>
    private static JsonObject? Tree(string text) => IsJson(text) ? JsonNode.Parse(text) as JsonObject : null;

    private static bool IsJson(string text)
    {
        try
        {
            JsonNode.Parse(text);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            // Not JSON, or an object with a key twice (which a tree cannot hold).
            return false;
        }
    }

    /// <summary>Overwrites bytes (in the headers or anywhere), sets a header word to an extreme, or cuts the file.</summary>
    private static byte[] MutateElf(byte[] original, (int Kind, int Where, byte Value)[] mutations, int cut)
    {
        byte[] bytes = (byte[])original.Clone();
        int headers = Math.Min(bytes.Length, 52 + (32 * 4));
        foreach ((int kind, int where, byte value) in mutations)
        {
            switch (kind)
            {
                case 0:
                    bytes[where % headers] = value;
                    break;
                case 1:
                    bytes[where % bytes.Length] = value;
                    break;
                case 2:
                    int word = (where % (headers / 4)) * 4;
                    BitConverter.TryWriteBytes(bytes.AsSpan(word), value < 128 ? 0xFFFF_FFF0u | value : (uint)value << 24);
                    break;
                default:
                    bytes[where % headers] ^= (byte)(1 << (value & 7));
                    break;
            }
        }

        return cut < 2 ? bytes[..(bytes.Length * (cut + 1) / 3)] : bytes;
    }
}
