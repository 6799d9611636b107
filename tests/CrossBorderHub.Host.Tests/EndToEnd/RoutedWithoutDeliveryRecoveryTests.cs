using Dapper;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// Issue 11 defect 3, the stuck half: a SIGKILL in the code before 475671f could leave a CONTRL (or its original)
/// Routed with no delivery row, and nothing ever moved it again. A store upgraded from then still holds such rows;
/// the hub re-drives them at start-up. The stranded state is made from a real run by removing the delivery rows and
/// the delivered files, exactly what the old code's crash left.
/// </summary>
[NonParallelizable]
public sealed class RoutedWithoutDeliveryRecoveryTests
{
    [Test]
    public async Task A_contrl_and_its_original_left_Routed_without_a_delivery_by_a_kill_are_delivered_after_restart()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        var interchange = Encoding.ASCII.GetString(TestDocuments.Cusdec("REFSTRAND")).Replace("+REFSTRAND'UNH", "+REFSTRAND++++1'UNH", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "stranded.edi"), interchange);
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1 && hub.DeliveredFiles("CN").Length == 1),
            TimeSpan.FromSeconds(20)), Is.True, hub.Log);
        Assert.That(await hub.StopAsync(), Is.EqualTo(0));

        // What the old code's kill left: both messages Routed, neither with a delivery, nothing at the partners.
        foreach (var file in hub.DeliveredFiles("TH").Concat(hub.DeliveredFiles("CN")))
        {
            File.Delete(file);
        }
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(hub.Data, "hub.db")};Pooling=False"))
        {
            await connection.ExecuteAsync("DELETE FROM hub_deliveries; UPDATE hub_messages SET status = 'Routed'");
        }

        await hub.StartAsync();
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 1 && hub.DeliveredFiles("CN").Length == 1),
            TimeSpan.FromSeconds(20)), Is.True, "the stranded CONTRL and original are delivered again\n" + hub.Log);
        // Time for a wrong second CONTRL to show up before counting.
        await Task.Delay(1500);
        Assert.That(hub.DeliveredFiles("CN"), Has.Length.EqualTo(1), "still one CONTRL");
        Assert.That(await File.ReadAllTextAsync(hub.DeliveredFiles("CN").Single()), Does.Contain("UCI+REFSTRAND+"));
        Assert.That(await File.ReadAllTextAsync(hub.DeliveredFiles("TH").Single()), Is.EqualTo(interchange));
        var statuses = (await hub.MessagesAsync()).Select(m => m!["message"]!["status"]!.GetValue<string>()).ToList();
        Assert.That(statuses, Is.EquivalentTo(new[] { "Delivered", "Delivered" }), hub.Log);
        Assert.That(hub.Log, Does.Contain("Recovered after a crash: 1 acknowledgement(s) and 1 message(s)"));
    }
}
