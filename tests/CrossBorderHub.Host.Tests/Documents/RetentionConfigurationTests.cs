namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>Hub:Documents:Retention is checked when the hub starts: one line per problem naming the key and the fix, exit 2.</summary>
[NonParallelizable]
public sealed class RetentionConfigurationTests
{
    [Test]
    public async Task A_retention_shorter_than_a_day_or_than_the_duplicate_window_stops_the_hub_naming_the_key()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Documents"] = new JsonObject
                {
                    ["DuplicateWindow"] = "90.00:00:00",
                    ["Retention"] = new JsonObject { ["CUSDEC"] = "00:10:00", ["CertificateOfOrigin"] = "30.00:00:00", ["*"] = "3650.00:00:00" },
                },
            },
        });
        hub.Launch();
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.ExitCode is not null), TimeSpan.FromSeconds(60)), Is.True, hub.Log);
        Assert.Multiple(() =>
        {
            Assert.That(hub.ExitCode, Is.EqualTo(2), hub.Log);
            Assert.That(hub.Log, Does.Contain("Hub:Documents:Retention:CUSDEC is 00:10:00: use at least one day"));
            Assert.That(hub.Log, Does.Contain("Hub:Documents:Retention:CertificateOfOrigin is 30.00:00:00, shorter than Hub:Documents:DuplicateWindow (90.00:00:00)"));
            Assert.That(hub.Log, Does.Not.Contain("Retention:*"), "a valid entry is not reported");
        });
    }
}
