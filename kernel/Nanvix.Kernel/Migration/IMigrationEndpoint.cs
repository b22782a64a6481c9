namespace Nanvix.Kernel.Migration;

/// <summary>Takes the migration messages (manifest, refusal, done) that reach a kernel's port.</summary>
public interface IMigrationEndpoint
{
    void OnMessage(ReadOnlySpan<byte> body, ulong now);
}
