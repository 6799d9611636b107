using CrossBorderHub.Channels.Sftp;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Sftp;

public sealed class SftpInboundContract : FileInboundChannelContract
{
    private string _folder = "";

    protected override Task<IInboundChannel> CreateInboundAsync()
    {
        var server = SshdServer.Shared;
        _folder = server.NewFolder("in");
        var settings = server.Settings(_folder);
        settings["MinimumAge"] = "00:00:30";
        return Task.FromResult(new SftpChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound", settings, server.Root)));
    }

    protected override Task DropAsync(string name, byte[] content) => LocalFolders.DropAsync(_folder, name, content, TimeSpan.FromHours(1));

    protected override Task DropPartialAsync(string name, byte[] content) => LocalFolders.DropAsync(_folder, name, content, TimeSpan.Zero);

    // Claimed files (.hub-claim-*) are still at the source: counted, so "removed only after the sink returned" shows.
    protected override Task<int> CountAtSourceAsync() => Task.FromResult(LocalFolders.Count(_folder));
}

public sealed class SftpOutboundContract : OutboundChannelContract
{
    private string _parent = "", _folder = "";

    protected override Task<IOutboundChannel> CreateOutboundAsync()
    {
        var server = SshdServer.Shared;
        _parent = server.NewFolder("out");
        _folder = TestAccount.Folder(Path.Combine(_parent, "dest"));
        return Task.FromResult(new SftpChannelFactory().CreateOutbound(TestChannels.Settings("TH", "Outbound", server.Settings(_folder), server.Root)));
    }

    protected override Task<IReadOnlyDictionary<string, byte[]>> DeliveredAsync() => Task.FromResult(LocalFolders.Contents(_folder));

    protected override Task<IReadOnlyList<string>> EscapedAsync() => Task.FromResult(LocalFolders.Others(_parent, _folder));
}
