using CrossBorderHub.Channels.Folder;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Folder;

public sealed class FolderInboundContract : FileInboundChannelContract
{
    private string _folder = "";

    protected override Task<IInboundChannel> CreateInboundAsync()
    {
        _folder = TestChannels.NewTempFolder("folder-in");
        return Task.FromResult(new FolderChannelFactory().CreateInbound(TestChannels.Settings("CN", "Inbound",
            new Dictionary<string, string?> { ["Path"] = _folder, ["MinimumAge"] = "00:00:30" }, _folder)));
    }

    protected override Task DropAsync(string name, byte[] content) => LocalFolders.DropAsync(_folder, name, content, TimeSpan.FromHours(1));

    protected override Task DropPartialAsync(string name, byte[] content) => LocalFolders.DropAsync(_folder, name, content, TimeSpan.Zero);

    protected override Task<int> CountAtSourceAsync() => Task.FromResult(LocalFolders.Count(_folder));
}

public sealed class FolderOutboundContract : OutboundChannelContract
{
    private string _parent = "", _folder = "";

    protected override Task<IOutboundChannel> CreateOutboundAsync()
    {
        _parent = TestChannels.NewTempFolder("folder-out");
        _folder = Path.Combine(_parent, "dest");
        return Task.FromResult(new FolderChannelFactory().CreateOutbound(TestChannels.Settings("TH", "Outbound",
            new Dictionary<string, string?> { ["Path"] = _folder }, _parent)));
    }

    protected override Task<IReadOnlyDictionary<string, byte[]>> DeliveredAsync() => Task.FromResult(LocalFolders.Contents(_folder));

    protected override Task<IReadOnlyList<string>> EscapedAsync() => Task.FromResult(LocalFolders.Others(_parent, _folder));
}
