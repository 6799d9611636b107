namespace CrossBorderHub.Storage.Tests;

/// <summary>Supervision statistics: volumes, rejections, duplicates and latency percentiles per period and dimension.</summary>
public abstract partial class StoreContract
{
    private async Task<MessageRecord> DeliveredAsync(DapperDocumentStore documents, string hash, DateTimeOffset received, BusinessDocument document, TimeSpan? after, string partner = "CN")
    {
        var message = await Store.RecordReceivedAsync(New(hash, partner: partner, at: received), T0.AddDays(-10), CancellationToken.None);
        await documents.RecordAsync(message.Id, [document], received, CancellationToken.None);
        await documents.ClaimAsync(message.Id, Window, received, CancellationToken.None);
        if (after is { } latency)
        {
            await Outbox.EnqueueAsync(message.Id, [new DeliveryRequest("TH", $"{hash}.xml", message.BlobHash, 10, "r")], "routed", received, CancellationToken.None);
            var due = await Outbox.ClaimDueAsync("s", received.AddDays(30), TimeSpan.FromMinutes(5), 100, CancellationToken.None);
            await Outbox.RecordAttemptAsync(due.Single(d => d.MessageId == message.Id), new AttemptResult(true, true, "ok", received + latency, null), CancellationToken.None);
        }
        return message;
    }

    [Test]
    public async Task Statistics_count_volumes_rejections_and_duplicates_and_give_latency_percentiles_per_group()
    {
        var documents = new DapperDocumentStore(((DapperMessageStore)Store).Dialect);
        var statistics = new DapperDocumentStatistics(((DapperMessageStore)Store).Dialect);
        var day = T0.AddYears(3); // a day no other test writes documents on
        await DeliveredAsync(documents, "s1", day, Document(0, "CO-S1", type: "CertificateOfOrigin", issuer: "CN", destination: "TH"), TimeSpan.FromSeconds(1));
        await DeliveredAsync(documents, "s2", day.AddHours(1), Document(0, "CO-S2", type: "CertificateOfOrigin", issuer: "CN", destination: "TH"), TimeSpan.FromSeconds(3));
        var rejected = await DeliveredAsync(documents, "s3", day.AddHours(2), Document(0, "DEC-S3", type: "CUSDEC/830", issuer: "CN", destination: "TH"), null);
        await Store.TransitionAsync(rejected.Id, MessageStatus.Rejected, "rejected", "bad", "bad", CancellationToken.None);
        await DeliveredAsync(documents, "s4", day.AddHours(3), Document(0, "CO-S1", type: "CertificateOfOrigin", issuer: "CN", destination: "TH"), null);

        var date = DateOnly.FromDateTime(day.UtcDateTime);
        var rows = await statistics.QueryAsync(new StatisticsQuery([StatisticsDimension.Origin, StatisticsDimension.Type], StatisticsPeriod.Day, date, date), CancellationToken.None);
        Assert.That(rows.Select(r => (r.Period, r.Origin, r.Type)), Is.EqualTo(new[] { ("2029-11-23", "CN", "CUSDEC/830"), ("2029-11-23", "CN", "CertificateOfOrigin") }.Select(t => (t.Item1, (string?)t.Item2, (string?)t.Item3))));
        var certificates = rows.Single(r => r.Type == "CertificateOfOrigin");
        Assert.Multiple(() =>
        {
            Assert.That((certificates.Documents, certificates.Delivered, certificates.Rejected, certificates.Duplicates), Is.EqualTo((3L, 2L, 0L, 1L)));
            Assert.That(certificates.LatencyMedianMs, Is.InRange(1000, 1050), "the 1 s delivery, to within a 5 % bucket");
            Assert.That(certificates.LatencyP95Ms, Is.InRange(3000, 3150));
            Assert.That(certificates.Destination, Is.Null, "not asked for");
            var declarations = rows.Single(r => r.Type == "CUSDEC/830");
            Assert.That((declarations.Documents, declarations.Rejected, declarations.LatencyMedianMs), Is.EqualTo((1L, 1L, (double?)null)));
        });
        var monthly = await statistics.QueryAsync(new StatisticsQuery([StatisticsDimension.Partner], StatisticsPeriod.Month, date, date), CancellationToken.None);
        Assert.That(monthly.Select(r => (r.Period, r.Partner, r.Documents)), Is.EqualTo(new[] { ("2029-11", (string?)"CN", 4L) }));
        var weekly = await statistics.QueryAsync(new StatisticsQuery([], StatisticsPeriod.Week, date, date), CancellationToken.None);
        Assert.That(weekly.Single().Period, Is.EqualTo("2029-W47"));
        Assert.That(await statistics.QueryAsync(new StatisticsQuery([], StatisticsPeriod.Day, date.AddDays(1), date.AddDays(2)), CancellationToken.None), Is.Empty);
    }
}
