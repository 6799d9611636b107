using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CrossBorderHub.Core.Telemetry;

/// <summary>
/// Every instrument of the hub's Meter "CrossBorderHub", so the pipeline calls one method per event. Counters carry
/// the partner and document type; an unknown type (not yet or never identified) is "unknown". Nothing listens unless
/// the host exports (Prometheus scrape, OTLP): then each call is a few lock-free adds.
/// </summary>
public sealed class HubMetrics
{
    public const string MeterName = "CrossBorderHub";
    public const string Unknown = "unknown";

    private readonly Counter<long> _received;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicate;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _pollFailures;
    private readonly Histogram<double> _processing;
    private readonly Histogram<double> _delivery;
    private readonly Histogram<long> _payload;

    /// <summary>With the host's meter factory (disposed with the host), or a meter of its own (CLI, tests).</summary>
    public HubMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _received = Meter.CreateCounter<long>("crossborderhub.messages.received", "{message}", "Messages taken in and identified, by source partner and document type.");
        _delivered = Meter.CreateCounter<long>("crossborderhub.messages.delivered", "{message}", "Deliveries accepted by the destination, by destination partner and document type.");
        _rejected = Meter.CreateCounter<long>("crossborderhub.messages.rejected", "{message}", "Messages rejected (unreadable, invalid, unroutable), by source partner and document type.");
        _duplicate = Meter.CreateCounter<long>("crossborderhub.messages.duplicate", "{message}", "Messages not delivered again (same bytes or interchange reference), by source partner and document type.");
        _deadLettered = Meter.CreateCounter<long>("crossborderhub.messages.dead_lettered", "{message}", "Deliveries given up or refused by the destination, by destination partner and document type.");
        _pollFailures = Meter.CreateCounter<long>("crossborderhub.channel.poll_failures", "{poll}", "Inbound channel polls that failed, by partner and channel type.");
        _processing = Meter.CreateHistogram<double>("crossborderhub.processing.duration", "s", "Time from claiming a received message to its outcome (routed, rejected, duplicate).");
        _delivery = Meter.CreateHistogram<double>("crossborderhub.delivery.latency", "s", "Time from a message's receipt to its delivery, by destination partner and document type.");
        _payload = Meter.CreateHistogram<long>("crossborderhub.payload.size", "By", "Size of the payloads taken in, by source partner.");
    }

    public Meter Meter { get; }

    public void Received(string partner, string? documentType) => _received.Add(1, Tags(partner, documentType));

    public void Delivered(string partner, string? documentType, TimeSpan sinceReceipt)
    {
        var tags = Tags(partner, documentType);
        _delivered.Add(1, tags);
        _delivery.Record(Math.Max(0, sinceReceipt.TotalSeconds), tags);
    }

    public void Rejected(string partner, string? documentType) => _rejected.Add(1, Tags(partner, documentType));

    public void Duplicate(string partner, string? documentType) => _duplicate.Add(1, Tags(partner, documentType));

    public void DeadLettered(string partner, string? documentType) => _deadLettered.Add(1, Tags(partner, documentType));

    public void Processed(string partner, string? documentType, TimeSpan elapsed) => _processing.Record(elapsed.TotalSeconds, Tags(partner, documentType));

    public void PayloadTaken(string partner, long bytes) => _payload.Record(bytes, new KeyValuePair<string, object?>("partner", partner));

    public void PollFailed(string partner, string? channelType) =>
        _pollFailures.Add(1, new KeyValuePair<string, object?>("partner", partner), new KeyValuePair<string, object?>("channel", channelType ?? Unknown));

    private static TagList Tags(string partner, string? documentType) => new()
    {
        { "partner", partner },
        { "document_type", string.IsNullOrEmpty(documentType) ? Unknown : documentType },
    };
}
