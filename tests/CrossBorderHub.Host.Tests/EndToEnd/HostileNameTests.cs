namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>Issue 11 defect 6: file names from partners reach logs and terminals escaped.</summary>
[NonParallelizable]
public sealed class HostileNameTests
{
    private const string Hostile = "evil\n\u001b[31mred\u202Eidf.edi";
    private const string Escaped = @"evil\n\e[31mred\u202Eidf.edi";

    [Test]
    public async Task A_name_with_newline_ESC_and_bidi_characters_appears_escaped_in_the_log_and_in_hub_messages()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        // An interchange for nobody: its rejection reason echoes the partner's values too.
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), Hostile), TestDocuments.Cusdec("REFEVIL", recipient: "NOBODY"));
        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), ".part\u001b[2J"), "a dot-file");

        Assert.That(await HubProcess.EventuallyAsync(async () =>
            (await hub.MessagesAsync()).Any(m => m!["message"]!["status"]!.GetValue<string>() == "Rejected"), TimeSpan.FromSeconds(20)), Is.True, hub.Log);

        var listing = await hub.CliAsync("messages");
        Assert.That(listing.ExitCode, Is.EqualTo(0), listing.Error);
        Assert.That(listing.Output, Does.Contain(Escaped), listing.Output);
        Assert.That(listing.Output, Does.Contain("no route"));
        Assert.That(listing.Output.IndexOfAny(['\u001b', '\u202E']), Is.EqualTo(-1), "raw ESC or bidi control in `hub messages` output");
        Assert.That(listing.Output, Does.Not.Contain("\nred"), "the newline in the name split a line");

        var log = hub.Log;
        Assert.That(log, Does.Contain(Escaped), log);
        Assert.That(log, Does.Contain(@"ignoring .part\e[2J"));
        Assert.That(log.IndexOfAny(['\u001b', '\u202E']), Is.EqualTo(-1), "raw ESC or bidi control in the log");
    }
}
