using System.Text;
using CrossBorderHub.Storage.Blobs;

namespace CrossBorderHub.Storage.Tests;

/// <summary>Retention per document type: what is past its period goes, with its payload; what is in flight or has no period stays.</summary>
public abstract partial class StoreContract
{
    [Test]
    public async Task Retention_purges_documents_past_their_type_period_with_their_payloads_and_never_one_pending_delivery()
    {
        var dialect = ((DapperMessageStore)Store).Dialect;
        var documents = new DapperDocumentStore(dialect);
        var root = Directory.CreateTempSubdirectory("hub-retention-").FullName;
        try
        {
            // The default store: these small payloads are rows of the store under test, which the purge must delete too.
            var blobs = new TieredBlobStore(dialect, new FileBlobStore(root), TimeProvider.System);
            async Task<string> Blob(string text) => (await blobs.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None)).Sha256;
            var now = T0.AddDays(200);
            var old = T0;
            var expired = await DeliveredAsync(documents, await Blob("old declaration"), old, Document(0, "RET-OLD", type: "CUSDEC/830"), TimeSpan.FromSeconds(1));
            var shared = await Blob("shared bytes");
            var expiredShared = await DeliveredAsync(documents, shared, old.AddMinutes(1), Document(0, "RET-SHARED", type: "CUSDEC/830"), TimeSpan.FromSeconds(1));
            var keptShared = await DeliveredAsync(documents, shared, now.AddDays(-1), Document(0, "RET-SHARED-NEW", type: "CUSDEC/830"), TimeSpan.FromSeconds(1), partner: "TH");
            var recent = await DeliveredAsync(documents, await Blob("recent declaration"), now.AddDays(-10), Document(0, "RET-RECENT", type: "CUSDEC/830"), TimeSpan.FromSeconds(1));
            var noPeriod = await DeliveredAsync(documents, await Blob("old certificate"), old, Document(0, "RET-CO", type: "CertificateOfOrigin"), TimeSpan.FromSeconds(1));
            // Routed, its delivery still pending: never purged, however old.
            var pending = await Store.RecordReceivedAsync(New(await Blob("pending declaration"), at: old), T0.AddDays(-10), CancellationToken.None);
            await documents.RecordAsync(pending.Id, [Document(0, "RET-PENDING", type: "CUSDEC/830")], old, CancellationToken.None);
            await documents.ClaimAsync(pending.Id, Window, old, CancellationToken.None);
            await Outbox.EnqueueAsync(pending.Id, [new DeliveryRequest("TH", "p.xml", pending.BlobHash, 10, "r")], "routed", old, CancellationToken.None);
            var statistics = new DapperDocumentStatistics(dialect);
            var before = await statistics.QueryAsync(new StatisticsQuery([StatisticsDimension.Type], StatisticsPeriod.Month), CancellationToken.None);

            var purge = await new DapperDocumentRetention(dialect, blobs).PurgeAsync(
                new Dictionary<string, TimeSpan> { ["CUSDEC"] = TimeSpan.FromDays(90) }, now, 100, CancellationToken.None);

            var expiredRead = await Store.GetAsync(expired.Id, CancellationToken.None);
            var expiredEvents = await Queries.GetEventsAsync(expired.Id, CancellationToken.None);
            var sharedRead = await Store.GetAsync(expiredShared.Id, CancellationToken.None);
            var declarations = Numbers(await documents.FindAsync(new DocumentQuery(Type: "CUSDEC"), CancellationToken.None));
            var kept = new[] { keptShared, recent, noPeriod, pending };
            var keptRead = new List<MessageRecord?>();
            foreach (var message in kept)
            {
                keptRead.Add(await Store.GetAsync(message.Id, CancellationToken.None));
            }
            var after = await statistics.QueryAsync(new StatisticsQuery([StatisticsDimension.Type], StatisticsPeriod.Month), CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That((purge.Messages, purge.Documents, purge.Blobs), Is.EqualTo((2, 2, 1)), "two old declarations; the shared blob stays for the recent message");
                Assert.That(purge.DocumentsByType, Is.EqualTo(new Dictionary<string, int> { ["CUSDEC/830"] = 2 }));
                Assert.That(expiredRead, Is.Null);
                Assert.That(expiredEvents, Is.Empty);
                Assert.That(blobs.Exists(expired.BlobHash), Is.False, "the payload is deleted");
                Assert.That(sharedRead, Is.Null);
                Assert.That(blobs.Exists(shared), Is.True, "still the payload of a kept message");
                Assert.That(declarations, Is.EquivalentTo(new[] { "RET-SHARED-NEW", "RET-RECENT", "RET-PENDING" }));
                Assert.That(keptRead, Has.All.Not.Null, "recent, a type without retention, and one pending delivery are kept");
                Assert.That(blobs.Exists(pending.BlobHash), Is.True, "pending delivery: kept");
                Assert.That(after, Is.EqualTo(before), "the statistics keep counting what was purged");
            });
            var again = await new DapperDocumentRetention(dialect, blobs).PurgeAsync(new Dictionary<string, TimeSpan> { ["CUSDEC"] = TimeSpan.FromDays(90) }, now, 100, CancellationToken.None);
            Assert.That(again.Messages, Is.Zero, "nothing more is past its period");
            var all = await new DapperDocumentRetention(dialect, blobs).PurgeAsync(new Dictionary<string, TimeSpan> { ["*"] = TimeSpan.FromDays(90) }, now, 100, CancellationToken.None);
            Assert.That((all.Messages, all.Numbers), Is.EqualTo((1, (IReadOnlyList<string>)["RET-CO"])), "* covers every type; the pending one still stays");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
