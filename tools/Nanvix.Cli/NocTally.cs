using Nanvix.Hal.Noc;

namespace Nanvix.Cli;

/// <summary>
/// Counts a run's NoC traffic from the NoC's transfer records: looked at after every quantum (the NoC keeps the last
/// 65 536 records, far more than a quantum posts), each transfer once, at the time it is posted, along its route.
/// </summary>
internal sealed class NocTally(INoc noc, NocTopology topology)
{
    private readonly long[] _linkBytes = new long[topology.LinkCount];
    private readonly long[] _linkTransfers = new long[topology.LinkCount];
    private readonly int[] _route = new int[topology.MaxRouteLength];
    private int _seen;

    public long Transfers { get; private set; }

    public long Bytes { get; private set; }

    public long WireBytes { get; private set; }

    /// <summary>Counts the transfers posted since the last call.</summary>
    public void CatchUp()
    {
        for (int count = noc.TransferCount; _seen < count; _seen++)
        {
            TransferRecord record = noc.Transfer(_seen);
            Transfers++;
            Bytes += record.Bytes;
            WireBytes += record.WireBytes;
            if (record.Kind == TransferKind.Sync)
            {
                // Sync signals travel on the control network, whose links are apart from the data network's.
                continue;
            }

            int hops = topology.Route(record.Source, record.Target, _route);
            for (int i = 0; i < hops; i++)
            {
                _linkBytes[_route[i]] += record.WireBytes;
                _linkTransfers[_route[i]]++;
            }
        }
    }

    public NocReport Report()
    {
        int busiest = -1;
        for (int link = 0; link < _linkBytes.Length; link++)
        {
            if (_linkBytes[link] > 0 && (busiest < 0 || _linkBytes[link] > _linkBytes[busiest]))
            {
                busiest = link;
            }
        }

        LinkReport? report = busiest < 0 ? null : new LinkReport(topology.DescribeLink(busiest), _linkTransfers[busiest], _linkBytes[busiest]);
        return new NocReport(Transfers, Bytes, WireBytes, report);
    }
}
