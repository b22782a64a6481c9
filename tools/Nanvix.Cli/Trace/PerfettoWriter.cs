namespace Nanvix.Cli.Trace;

/// <summary>
/// Writes a <see cref="TraceModel"/> as a Perfetto trace: protobuf <c>Trace</c> of <c>TracePacket</c>s, one
/// <c>TrackDescriptor</c> per track (clusters as processes, cores as their threads, lanes and counters under them),
/// then <c>TrackEvent</c>s (slice begin and end, counter values, flows) in time order, on one packet sequence.
/// Field numbers are those of Perfetto's protos/perfetto/trace (trace_packet.proto, track_event/*.proto).
/// </summary>
public static class PerfettoWriter
{
    // Trace
    private const int TracePacket = 1;

    // TracePacket
    private const int Timestamp = 8;
    private const int SequenceId = 10;
    private const int TrackEventField = 11;
    private const int SequenceFlags = 13;
    private const int TrackDescriptorField = 60;

    // TrackDescriptor
    private const int Uuid = 1;
    private const int Name = 2;
    private const int Process = 3;
    private const int Thread = 4;
    private const int ParentUuid = 5;
    private const int CounterField = 8;

    // ProcessDescriptor, ThreadDescriptor
    private const int Pid = 1;
    private const int Tid = 2;
    private const int ThreadName = 5;
    private const int ProcessName = 6;

    // TrackEvent
    private const int DebugAnnotations = 4;
    private const int Type = 9;
    private const int TrackUuid = 11;
    private const int EventName = 23;
    private const int CounterValue = 30;
    private const int FlowIds = 47;
    private const int TerminatingFlowIds = 48;

    // TrackEvent.Type
    private const ulong SliceBegin = 1;
    private const ulong SliceEnd = 2;
    private const ulong CounterType = 4;

    // DebugAnnotation
    private const int AnnotationName = 10;
    private const int IntValue = 4;

    /// <summary>The sequence every packet is on (any number but 0).</summary>
    private const ulong Sequence = 1;

    public static void Write(TraceModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        bool first = true;
        foreach (TraceTrack track in model.Tracks)
        {
            var descriptor = new ProtoWriter();
            descriptor.Varint(Uuid, track.Uuid);
            if (track.Parent == 0)
            {
                var process = new ProtoWriter();
                process.Varint(Pid, (ulong)track.Pid);
                process.String(ProcessName, track.Name);
                descriptor.Message(Process, process);
            }
            else if (track.Tid != 0)
            {
                var thread = new ProtoWriter();
                thread.Varint(Pid, (ulong)track.Pid);
                thread.Varint(Tid, (ulong)track.Tid);
                thread.String(ThreadName, track.Name);
                descriptor.Message(Thread, thread);
            }
            else
            {
                descriptor.Varint(ParentUuid, track.Parent);
                descriptor.String(Name, track.Name);
                if (track.IsCounter)
                {
                    descriptor.Message(CounterField, new ProtoWriter());
                }
            }

            var packet = new ProtoWriter();
            packet.Varint(SequenceId, Sequence);
            if (first)
            {
                // SEQ_INCREMENTAL_STATE_CLEARED: the sequence starts here.
                packet.Varint(SequenceFlags, 1);
                first = false;
            }

            packet.Message(TrackDescriptorField, descriptor);
            Emit(stream, packet);
        }

        foreach ((ulong cycle, int kind, TraceSlice? slice, TraceCounter counter) in model.Events())
        {
            var trackEvent = new ProtoWriter();
            switch (kind)
            {
                case TraceModel.Begin:
                    trackEvent.Varint(Type, SliceBegin);
                    trackEvent.Varint(TrackUuid, slice!.Track);
                    trackEvent.String(EventName, slice.Name);
                    foreach ((string name, long value) in slice.Arguments)
                    {
                        var annotation = new ProtoWriter();
                        annotation.String(AnnotationName, name);
                        annotation.Signed(IntValue, value);
                        trackEvent.Message(DebugAnnotations, annotation);
                    }

                    if (slice.FlowOut != 0)
                    {
                        trackEvent.Fixed64(FlowIds, slice.FlowOut);
                    }

                    if (slice.FlowIn != 0)
                    {
                        trackEvent.Fixed64(TerminatingFlowIds, slice.FlowIn);
                    }

                    break;
                case TraceModel.End:
                    trackEvent.Varint(Type, SliceEnd);
                    trackEvent.Varint(TrackUuid, slice!.Track);
                    break;
                default:
                    trackEvent.Varint(Type, CounterType);
                    trackEvent.Varint(TrackUuid, counter.Track);
                    trackEvent.Signed(CounterValue, counter.Value);
                    break;
            }

            var packet = new ProtoWriter();
            packet.Varint(Timestamp, model.Nanoseconds(cycle));
            packet.Varint(SequenceId, Sequence);
            packet.Message(TrackEventField, trackEvent);
            Emit(stream, packet);
        }
    }

    private static void Emit(Stream stream, ProtoWriter packet)
    {
        var trace = new ProtoWriter();
        trace.Message(TracePacket, packet);
        trace.CopyTo(stream);
    }
}
