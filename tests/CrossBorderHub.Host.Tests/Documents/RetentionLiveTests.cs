using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>
/// The retention purge in a running hub (until now only the store tests ran it): the job could not even be created,
/// because it asked the container for a FileBlobStore nobody registered. A delivered declaration, aged past its
/// type's period in the database, is purged with its message and payload, and the purge is in the audit trail.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RetentionLiveTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task A_running_hub_purges_a_delivered_declaration_past_its_retention_with_its_payload_and_audits_it()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Documents"] = new JsonObject
                {
                    ["Retention"] = new JsonObject { ["CUSDEC"] = "1.00:00:00" },
                    ["DuplicateWindow"] = "1.00:00:00",
                    ["RetentionInterval"] = "00:01:00", // the shortest allowed; the first purge runs a minute after start-up
                },
            },
        });
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "old.edi"), TestDocuments.Cusdec("RETLIVE01"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        using var http = await hub.ClientAsync();
        async Task<int> DocumentsAsync() => JsonNode.Parse(await http.GetStringAsync(new Uri("/api/documents?number=RETLIVE01", UriKind.Relative)))!.AsArray().Count;
        Assert.That(await DocumentsAsync(), Is.EqualTo(1));
        var message = (await hub.MessagesAsync()).Single()!["message"]!;
        var hash = message["blobHash"]!.GetValue<string>();

        // Three days old, as if received then: the next purge takes it.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(hub.Data, "hub.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var age = connection.CreateCommand();
            age.CommandText = "UPDATE hub_documents SET received_at = received_at - 259200000; UPDATE hub_messages SET received_at = received_at - 259200000";
            await age.ExecuteNonQueryAsync();
        }

        Assert.That(await HubProcess.EventuallyAsync(async () => await DocumentsAsync() == 0, TimeSpan.FromSeconds(100)), Is.True, $"not purged\n{hub.Log}");
        Assert.That(await hub.MessagesAsync(), Is.Empty, "the message went with its document");
        Assert.That(hub.Log, Does.Contain("Retention purge: 1 document(s) past retention (CUSDEC/830 1) in 1 message(s) and 1 payload blob(s) deleted"));
        var content = await http.GetAsync(new Uri($"/api/messages/{message["id"]!.GetValue<string>()}/content", UriKind.Relative));
        Assert.That((int)content.StatusCode, Is.EqualTo(404));
        var audit = await http.GetStringAsync(new Uri("/api/audit?action=documents-purged", UriKind.Relative));
        Assert.That(audit, Does.Contain("RETLIVE01"), "the purge names what it removed in the audit trail");
        Assert.That(hash, Has.Length.EqualTo(64));
    }
}
