using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>
/// The NoC traffic of a run: transfers posted (mailbox messages, portal writes, sync signals), their payload bytes and
/// the bytes on the wire (headers included), and the data-network link that carried the most wire bytes.
/// </summary>
public sealed record NocReport(
    long Transfers,
    long Bytes,
    long WireBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LinkReport? BusiestLink);
