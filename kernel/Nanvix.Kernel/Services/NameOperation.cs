namespace Nanvix.Kernel.Services;

/// <summary>What a request to the name service asks.</summary>
public enum NameOperation : byte
{
    Link = 1,
    Unlink = 2,
    Lookup = 3,
}
