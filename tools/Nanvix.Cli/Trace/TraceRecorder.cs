using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Migration;

namespace Nanvix.Cli.Trace;

/// <summary>
/// Collects what a run's trace shows while it runs — every quantum (told by the kernels), every NoC transfer once it
/// has arrived (read from the NoC's records) — and, at the end, the moves from their reports, into a
/// <see cref="TraceModel"/>. A host object: the modeled machine does not see it, and the same run gives the same trace.
/// </summary>
/// <param name="caches">Whether the cache model is on: then each core's misses per quantum are a counter too.</param>
internal sealed class TraceRecorder(ProcessorSpec spec, TraceKinds kinds, bool caches) : IQuantumObserver
{
    private readonly List<QuantumRecord> _quanta = [];
    private readonly List<TransferRecord> _transfers = [];
    private readonly List<int> _pending = [];
    private int _seen;

    public TraceKinds Kinds { get; } = kinds;

    public void Quantum(in QuantumRecord quantum) => _quanta.Add(quantum);

    /// <summary>Takes the transfers posted since the last call, and those of earlier calls that have arrived since.</summary>
    public void CatchUp(INoc noc)
    {
        if ((Kinds & TraceKinds.Noc) == 0)
        {
            return;
        }

        for (int count = noc.TransferCount; _seen < count; _seen++)
        {
            _pending.Add(_seen);
        }

        int kept = 0;
        for (int i = 0; i < _pending.Count; i++)
        {
            int id = _pending[i];
            TransferRecord record = noc.Transfer(id);
            if (record.State is TransferState.Waiting or TransferState.InFlight)
            {
                _pending[kept++] = id;
            }
            else
            {
                _transfers.Add(record);
            }
        }

        _pending.RemoveRange(kept, _pending.Count - kept);
    }

    /// <summary>The trace of the run: clusters, cores and their lanes, with everything recorded.</summary>
    public TraceModel Build(INoc noc, IReadOnlyList<MigrationReport> migrations)
    {
        CatchUp(noc);
        var model = new TraceModel(spec.FrequencyHz);
        var tracks = new Dictionary<ulong, TraceTrack>();
        TraceTrack Track(ulong uuid, string name, int cluster, int tid = 0, bool counter = false)
        {
            if (!tracks.TryGetValue(uuid, out TraceTrack? track))
            {
                ulong parent = ClusterUuid(cluster);
                track = new TraceTrack(uuid, name, uuid == parent ? 0 : parent, cluster + 1, tid, counter);
                tracks[uuid] = track;
            }

            return track;
        }

        for (int c = 0; c < spec.Clusters.Count; c++)
        {
            ClusterSpec cluster = spec.Clusters[c];
            Track(ClusterUuid(c), $"{cluster.Name} (node {string.Join(", ", cluster.NocNodes)})", c);
        }

        AddQuanta(model, Track);
        AddTransfers(model, Track);
        AddMigrations(model, migrations, Track);
        // A cluster with nothing to show is left out.
        model.Tracks.AddRange(tracks.Values.Where(t => t.Parent != 0 || tracks.Values.Any(child => child.Parent == t.Uuid)).OrderBy(t => t.Uuid));
        return model;
    }

    private static ulong ClusterUuid(int cluster) => (ulong)(cluster + 1) << 20;

    private void AddQuanta(TraceModel model, Func<ulong, string, int, int, bool, TraceTrack> track)
    {
        foreach (QuantumRecord q in _quanta)
        {
            ulong core = ClusterUuid(q.Cluster) + 1 + (ulong)q.Core;
            int tid = ((q.Cluster + 1) * 100) + q.Core;
            if ((Kinds & TraceKinds.Quanta) != 0 && q.UserEnd > q.Start)
            {
                track(core, $"core {q.Core}", q.Cluster, tid, false);
                model.Slices.Add(new TraceSlice(core, q.Start, q.UserEnd, 0, $"pid {q.Pid} tid {q.Tid}", [("instructions", (long)q.Instructions)]));
            }

            if ((Kinds & TraceKinds.Calls) != 0 && q.Call >= 0)
            {
                track(core, $"core {q.Core}", q.Cluster, tid, false);
                model.Slices.Add(new TraceSlice(core, q.UserEnd, Math.Max(q.End, q.UserEnd + 1), 0, Nanvix.Kernel.Calls.KernelCallTable.NameOf(q.Call), [("pid", q.Pid), ("tid", q.Tid), ("number", q.Call)]));
            }
            else if ((Kinds & TraceKinds.Quanta) != 0 && q.Trap >= 0)
            {
                track(core, $"core {q.Core}", q.Cluster, tid, false);
                model.Slices.Add(new TraceSlice(core, q.UserEnd, Math.Max(q.End, q.UserEnd + 1), 0, $"trap {q.Trap}", [("pid", q.Pid), ("tid", q.Tid), ("cause", q.Trap)]));
            }

            if ((Kinds & TraceKinds.Counters) != 0)
            {
                ulong cycles = ClusterUuid(q.Cluster) + 0x100 + ((ulong)q.Core * 2);
                track(cycles, $"core {q.Core} cycles per quantum", q.Cluster, 0, true);
                model.Counters.Add(new TraceCounter(cycles, q.End, (long)(q.End - q.Start)));
                if (caches)
                {
                    track(cycles + 1, $"core {q.Core} cache misses per quantum", q.Cluster, 0, true);
                    model.Counters.Add(new TraceCounter(cycles + 1, q.End, (long)q.Misses));
                }
            }
        }
    }

    private void AddTransfers(TraceModel model, Func<ulong, string, int, int, bool, TraceTrack> track)
    {
        // Transfers of one node overlap: each goes on the first lane of its node and direction that is free at its start.
        var lanes = new Dictionary<(int Node, bool Out), List<ulong>>();
        int Lane(int node, bool output, ulong start, ulong end)
        {
            if (!lanes.TryGetValue((node, output), out List<ulong>? free))
            {
                lanes[(node, output)] = free = [];
            }

            int lane = free.FindIndex(until => until <= start);
            if (lane < 0)
            {
                lane = free.Count;
                free.Add(0);
            }

            free[lane] = end;
            return lane;
        }

        foreach (TransferRecord t in _transfers.Where(t => t.State != TransferState.Cancelled).OrderBy(t => t.Start).ThenBy(t => t.Id))
        {
            int source = ClusterOf(t.Source);
            int target = ClusterOf(t.Target);
            if (source < 0 || target < 0)
            {
                continue;
            }

            ulong end = Math.Max(t.End, t.Start + 1);
            string name = $"{t.Kind.ToString().ToLowerInvariant()} {t.Bytes} B{(t.State == TransferState.Failed ? " (lost)" : "")}";
            (string, long)[] arguments = [("bytes", t.Bytes), ("wire bytes", t.WireBytes), ("hops", t.Hops), ("from node", t.Source), ("to node", t.Target), ("transfer", t.Id)];
            int outLane = Lane(t.Source, true, t.Start, end);
            int inLane = Lane(t.Target, false, t.Start, end);
            ulong outTrack = ClusterUuid(source) + 0x200 + (ulong)outLane;
            ulong inTrack = ClusterUuid(target) + 0x400 + (ulong)inLane;
            track(outTrack, $"NoC out {outLane}", source, 0, false);
            track(inTrack, $"NoC in {inLane}", target, 0, false);
            ulong flow = (ulong)t.Id + 1;
            model.Slices.Add(new TraceSlice(outTrack, t.Start, end, 0, name, arguments, FlowOut: flow));
            model.Slices.Add(new TraceSlice(inTrack, t.Start, end, 0, name, arguments, FlowIn: flow));
        }
    }

    private void AddMigrations(TraceModel model, IReadOnlyList<MigrationReport> migrations, Func<ulong, string, int, int, bool, TraceTrack> track)
    {
        if ((Kinds & TraceKinds.Migrations) == 0)
        {
            return;
        }

        for (int i = 0; i < migrations.Count; i++)
        {
            MigrationReport m = migrations[i];
            int source = ClusterNamed(m.From);
            int target = ClusterNamed(m.To);
            ulong outTrack = ClusterUuid(source) + 0x600;
            ulong inTrack = ClusterUuid(target) + 0x601;
            track(outTrack, "moves out", source, 0, false);
            track(inTrack, "moves in", target, 0, false);
            ulong frozen = m.FreezeCycle;
            ulong ready = frozen + Math.Max(m.DowntimeCycles, 1);
            ulong gathered = Math.Min(frozen + m.FreezeCycles, ready);
            ulong arrived = Math.Max(gathered, ready - Math.Min(m.RestoreCycles, ready - gathered));
            (string, long)[] arguments = [("pid", m.Pid), ("bytes", m.TotalBytes), ("sections", m.SectionBytes), ("stacks", m.StackBytes), ("kernel state", m.KernelStateBytes), ("contexts", m.ContextBytes), ("IKC", m.IkcBytes)];
            ulong flow = (1UL << 40) + (ulong)i;
            model.Slices.Add(new TraceSlice(outTrack, frozen, ready, 0, $"move pid {m.Pid} to {m.To}", arguments, FlowOut: flow));
            model.Slices.Add(new TraceSlice(outTrack, frozen, Math.Max(gathered, frozen + 1), 1, "freeze", [("cycles", (long)m.FreezeCycles)]));
            model.Slices.Add(new TraceSlice(outTrack, gathered, Math.Max(arrived, gathered + 1), 1, "transfer", [("cycles", (long)m.TransferCycles)]));
            model.Slices.Add(new TraceSlice(inTrack, arrived, Math.Max(ready, arrived + 1), 0, $"restore pid {m.Pid} from {m.From}", [("cycles", (long)m.RestoreCycles), ("downtime", (long)m.DowntimeCycles)], FlowIn: flow));
            AddLiveParts(model, m, outTrack, inTrack, frozen, ready);
        }
    }

    /// <summary>A pre-copy move's rounds before its freeze (one slice each, back to back from its start), a post-copy move's pulls after its restore.</summary>
    private static void AddLiveParts(TraceModel model, MigrationReport m, ulong outTrack, ulong inTrack, ulong frozen, ulong ready)
    {
        if (m.Rounds.Count > 0)
        {
            ulong start = ready - Math.Min(m.TotalCycles, ready);
            model.Slices.Add(new TraceSlice(outTrack, start, Math.Max(frozen, start + 1), 0, $"pre-copy pid {m.Pid} to {m.To}", [("rounds", m.Rounds.Count), ("bytes", m.RoundBytes)]));
            ulong at = start;
            for (int r = 0; r < m.Rounds.Count; r++)
            {
                ulong end = Math.Min(Math.Max(at + m.Rounds[r].Cycles, at + 1), Math.Max(frozen, at + 1));
                model.Slices.Add(new TraceSlice(outTrack, at, end, 1, $"round {r + 1}", [("pages", m.Rounds[r].Pages), ("dirty after", m.Rounds[r].DirtyAfter)]));
                at = end;
            }
        }

        if (m.Postcopy is { Complete: true } post && post.LastCycle > ready)
        {
            model.Slices.Add(new TraceSlice(inTrack, ready, post.LastCycle, 0, $"post-copy pulls pid {m.Pid} from {m.From}",
                [("pages", post.Pulled), ("waited for", post.Demanded), ("stall cycles", (long)post.StallCycles)]));
        }
    }

    private int ClusterOf(int node)
    {
        for (int c = 0; c < spec.Clusters.Count; c++)
        {
            if (spec.Clusters[c].NocNodes.Contains(node))
            {
                return c;
            }
        }

        return -1;
    }

    private int ClusterNamed(string name)
    {
        for (int c = 0; c < spec.Clusters.Count; c++)
        {
            if (spec.Clusters[c].Name == name)
            {
                return c;
            }
        }

        return 0;
    }
}
