using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>Source-generated JSON reading of image files (NativeAOT-safe), keys in snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ImageFile))]
public sealed partial class ImageJsonContext : JsonSerializerContext;
