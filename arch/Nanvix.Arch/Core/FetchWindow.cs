using Nanvix.Arch.Isa;

namespace Nanvix.Arch.Core;

/// <summary>
/// The code page a run fetches from: its virtual base, host and physical addresses and predecoded slots, translated
/// once when the pc enters the page. The block engine lends its window to the stepping loop for the instructions it
/// leaves to it, so that the two together look the fetch page up exactly when the stepping engine alone would: the
/// same TLB lookups, the same TLB state.
/// </summary>
internal struct FetchWindow
{
    /// <summary>Virtual base of the page; <see cref="None"/>'s 1 is never a page base, so the next fetch translates.</summary>
    public uint Page;
    public nint Host;
    public uint Physical;
    public DecodedInstruction[] Code;

    public static FetchWindow None => new() { Page = 1, Code = [] };
}
