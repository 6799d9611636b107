using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Telemetry;
using CrossBorderHub.Host.Tests.Pipeline;

namespace CrossBorderHub.Host.Tests.Operations;

/// <summary>
/// The ActivitySource "CrossBorderHub" seen by a listener, as an OTLP exporter sees it: a message through the real
/// pipeline (SQLite store, signing route) produces its stage activities in one trace.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MessageTraceTests
{
    [Test]
    public async Task A_signed_message_produces_intake_inspect_route_sign_and_deliver_activities_with_one_trace_id()
    {
        var queue = $"th-{Guid.NewGuid():N}";
        await using var hub = await PipelineHub.StartAsync($$"""
            "Partners": {
              "CN": { "Country": "CN", "Identifiers": [ "CNSW" ], "Validation": "codes" },
              "TH": { "Country": "TH", "Identifiers": [ "THSW" ], "Outbound": { "Type": "memory", "Queue": "{{queue}}" } }
            },
            "Routes": [ { "Name": "XML to Thailand", "Country": "TH", "To": [ "TH" ], "Sign": "document" } ]
            """);
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessageTrace.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var accepted = await hub.Get<IInboundSink>().AcceptAsync(new InboundOrigin("CN", "inbound", "origin.xml"),
            new MemoryStream(TestDocuments.CertificateOfOrigin("CO-TRACE-1")), CancellationToken.None);
        await hub.Get<MessageProcessor>().ProcessBatchAsync(10, CancellationToken.None);
        await hub.Get<DeliveryDispatcher>().DispatchBatchAsync(10, CancellationToken.None);

        List<Activity> mine;
        lock (stopped)
        {
            mine = stopped.Where(a => (string?)a.GetTagItem("crossborderhub.message_id") == accepted.MessageId).ToList();
        }
        Assert.That(mine.Select(a => a.OperationName), Is.EqualTo(new[] { "intake", "inspect", "sign", "route", "deliver" }),
            "stages in the order they end (sign ends inside route)");
        Assert.That(mine.Select(a => a.TraceId).Distinct().ToList(), Has.Count.EqualTo(1), "one trace per message");
        Assert.That(mine.Select(a => a.Status), Has.All.EqualTo(ActivityStatusCode.Unset), "nothing failed");
        Assert.That(mine.Single(a => a.OperationName == "sign").Parent?.OperationName, Is.EqualTo("route"), "sign is a step of routing");
        Assert.That(mine.Single(a => a.OperationName == "deliver").GetTagItem("crossborderhub.partner"), Is.EqualTo("TH"));
    }

    [Test]
    public void Two_messages_have_two_traces_and_each_trace_is_the_same_on_every_call()
    {
        var first = MessageTrace.ContextOf("m1");
        Assert.That(MessageTrace.ContextOf("m1"), Is.EqualTo(first), "another instance, another stage: the same trace");
        Assert.That(MessageTrace.ContextOf("m2").TraceId, Is.Not.EqualTo(first.TraceId));
    }
}
