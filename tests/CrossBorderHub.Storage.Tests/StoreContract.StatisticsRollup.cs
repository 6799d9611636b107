namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// The statistics rollup (hub_document_daily) answers exactly what the full scan of hub_documents answers, after
/// traffic that moves documents every way: new, duplicate, replaced, rejected, delivered, acknowledged, reprocessed.
/// </summary>
public abstract partial class StoreContract
{
    private static readonly string[] RollupCountries = ["CN", "TH", "VN"];
    private static readonly string[] RollupTypes = ["CertificateOfOrigin", "CUSDEC/830"];

    [Test]
    public async Task The_statistics_rollup_answers_what_the_full_scan_answers_after_mixed_traffic()
    {
        var dialect = ((DapperMessageStore)Store).Dialect;
        var documents = new DapperDocumentStore(dialect);
        var random = new Random(16);
        for (var i = 0; i < 40; i++)
        {
            var received = T0.AddDays(random.Next(0, 20)).AddMinutes(random.Next(0, 1440));
            // Numbers repeat (every 7th): business duplicates; some are replacements of an earlier number.
            var function = i % 9 == 8 ? DocumentFunction.Replacement : DocumentFunction.Original;
            var document = Document(0, $"R-{(i % 7 == 6 ? 1 : i)}", type: RollupTypes[i % 2], issuer: RollupCountries[i % 3], destination: RollupCountries[(i + 1) % 3], function: function)
                with { ReferencedNumber = function == DocumentFunction.Replacement ? $"R-{i - 8}" : "" };
            var message = await Store.RecordReceivedAsync(New($"roll{i}", partner: RollupCountries[i % 2], at: received), T0.AddDays(-10), CancellationToken.None);
            await documents.RecordAsync(message.Id, [document], received, CancellationToken.None);
            if (i % 11 == 10)
            {
                await documents.RecordAsync(message.Id, [document with { DestinationCountry = "LA" }], received, CancellationToken.None); // reprocessed
            }
            if (i % 5 == 4)
            {
                await Store.TransitionAsync(message.Id, MessageStatus.Rejected, "rejected", "bad", "bad", CancellationToken.None);
                continue;
            }
            await documents.ClaimAsync(message.Id, Window, received, CancellationToken.None);
            await Outbox.EnqueueAsync(message.Id, [new DeliveryRequest("TH", $"roll{i}.xml", message.BlobHash, 10, "r")], "routed", received, CancellationToken.None);
            var due = await Outbox.ClaimDueAsync("s", received.AddDays(30), TimeSpan.FromMinutes(5), 100, CancellationToken.None);
            await Outbox.RecordAttemptAsync(due.Single(d => d.MessageId == message.Id), new AttemptResult(true, true, "ok", received.AddMilliseconds(random.Next(100, 90_000)), null), CancellationToken.None);
            if (i % 3 == 0)
            {
                await Store.TransitionAsync(message.Id, MessageStatus.Acknowledged, "acknowledged", "ok", null, CancellationToken.None);
            }
        }

        var rollup = new DapperDocumentStatistics(dialect);
        var scan = new ScanDocumentStatistics(dialect);
        var from = DateOnly.FromDateTime(T0.UtcDateTime);
        StatisticsQuery[] queries =
        [
            new([StatisticsDimension.Origin, StatisticsDimension.Destination, StatisticsDimension.Type], StatisticsPeriod.Month),
            new([StatisticsDimension.Partner], StatisticsPeriod.Day),
            new([StatisticsDimension.Type], StatisticsPeriod.Week, from.AddDays(3), from.AddDays(12)),
            new([], StatisticsPeriod.Month),
            new([StatisticsDimension.Origin, StatisticsDimension.Destination, StatisticsDimension.Type, StatisticsDimension.Partner], StatisticsPeriod.Day, from, from.AddDays(5)),
        ];
        var whole = await scan.QueryAsync(queries[3], CancellationToken.None);
        Assert.That(whole.Select(r => r.Period), Is.EqualTo(new[] { "2026-11", "2026-12" }));
        Assert.That(whole.Sum(r => r.Documents), Is.EqualTo(40), "every document counted once, reprocessed ones too");
        Assert.That(whole.Sum(r => r.Duplicates), Is.GreaterThan(0));
        Assert.That(whole.Sum(r => r.Rejected), Is.EqualTo(8));
        Assert.That(whole.All(r => r.AcknowledgedMedianMs is not null), "received -> acknowledged is measured");
        foreach (var query in queries)
        {
            Assert.That(await rollup.QueryAsync(query, CancellationToken.None), Is.EqualTo(await scan.QueryAsync(query, CancellationToken.None)),
                $"by {string.Join(",", query.By)} per {query.Period}");
        }
        var before = await rollup.QueryAsync(queries[4], CancellationToken.None);
        await rollup.RebuildAsync(CancellationToken.None);
        Assert.That(await rollup.QueryAsync(queries[4], CancellationToken.None), Is.EqualTo(before), "a rebuild from the rows gives the same rollup");
    }
}
