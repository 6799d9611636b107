namespace CrossBorderHub.Channels.Tests.Contracts;

/// <summary>
/// The inbound contract of transports that read files (folder, SFTP, FTP): on top of the common promises, a file
/// still being written waits for a later poll. Queue transports hand over whole messages and have no such state.
/// </summary>
public abstract class FileInboundChannelContract : InboundChannelContract
{
    /// <summary>Puts a file that is still being written (too young, or growing) at the source.</summary>
    protected abstract Task DropPartialAsync(string name, byte[] content);

    [Test]
    public async Task An_item_still_being_written_waits_for_a_later_poll()
    {
        await using var channel = await CreateInboundAsync();
        await DropPartialAsync("growing.edi", Bytes("half"));
        var result = await channel.PollAsync(Sink, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(result.Accepted, Is.Zero);
            Assert.That(result.Deferred, Is.EqualTo(1));
            Assert.That(Sink.Calls, Is.Empty);
            Assert.That(await CountAtSourceAsync(), Is.EqualTo(1));
        });
    }
}
