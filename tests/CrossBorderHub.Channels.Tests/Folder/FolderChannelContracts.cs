using CrossBorderHub.Channels.Folder;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Folder;

public sealed class FolderInboundContract : LocalFolderInboundContract
{
    protected override Task<IInboundChannel> CreateInboundAsync()
    {
        Folder = TestChannels.NewTempFolder("folder-in");
        return Task.FromResult(new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = Folder, ["MinimumAge"] = "00:00:30" }, Folder)));
    }
}

public sealed class FolderOutboundContract : LocalFolderOutboundContract
{
    protected override Task<IOutboundChannel> CreateOutboundAsync()
    {
        Parent = TestChannels.NewTempFolder("folder-out");
        Folder = Path.Combine(Parent, "dest");
        return Task.FromResult(new FolderChannelFactory().CreateOutbound(TestChannels.Settings("TH", "Outbound",
            new Dictionary<string, string?> { ["Path"] = Folder }, Parent)));
    }
}
