namespace Nanvix.Hal.Noc;

/// <summary>A misuse of the NoC: a bad node number, an oversized message, a closed endpoint, a full queue.</summary>
public sealed class NocException : Exception
{
    public NocException(string message)
        : base(message)
    {
    }
}
