namespace CrossBorderHub.Channels.Tests.Contracts;

/// <summary>
/// File transports whose source the test reaches as a folder on this machine (the folder channel, and the SFTP and
/// FTP servers the tests run): files are dropped and counted there.
/// </summary>
public abstract class LocalFolderInboundContract : FileInboundChannelContract
{
    protected string Folder { get; set; } = "";

    protected override Task DropAsync(string name, byte[] content) => LocalFolders.DropAsync(Folder, name, content, TimeSpan.FromHours(1));

    protected override Task DropPartialAsync(string name, byte[] content) => LocalFolders.DropAsync(Folder, name, content, TimeSpan.Zero);

    // Claimed files (.hub-claim-*) are still at the source: counted, so "removed only after the sink returned" shows.
    protected override Task<int> CountAtSourceAsync() => Task.FromResult(LocalFolders.Count(Folder));
}

/// <summary>File transports that deliver into a folder on this machine: Folder is the target, Parent the folder around it (nothing may escape into it).</summary>
public abstract class LocalFolderOutboundContract : OutboundChannelContract
{
    protected string Parent { get; set; } = "";
    protected string Folder { get; set; } = "";

    protected override Task<IReadOnlyDictionary<string, byte[]>> DeliveredAsync() => Task.FromResult(LocalFolders.Contents(Folder));

    protected override Task<IReadOnlyList<string>> EscapedAsync() => Task.FromResult(LocalFolders.Others(Parent, Folder));
}

/// <summary>The inbound contract over a real SFTP or FTP server of this test run.</summary>
public abstract class RemoteFolderInboundContract(Func<FileTransferServer> server, IChannelFactory factory) : LocalFolderInboundContract
{
    protected override Task<IInboundChannel> CreateInboundAsync()
    {
        var shared = server();
        Folder = shared.NewFolder("in");
        var settings = shared.Settings(Folder);
        settings["MinimumAge"] = "00:00:30";
        return Task.FromResult(factory.CreateInbound(TestChannels.Settings("CN", "Inbound", settings, shared.Root)));
    }
}

/// <summary>The outbound contract over a real SFTP or FTP server of this test run.</summary>
public abstract class RemoteFolderOutboundContract(Func<FileTransferServer> server, IChannelFactory factory) : LocalFolderOutboundContract
{
    protected override Task<IOutboundChannel> CreateOutboundAsync()
    {
        var shared = server();
        Parent = shared.NewFolder("out");
        Folder = TestAccount.Folder(Path.Combine(Parent, "dest"));
        return Task.FromResult(factory.CreateOutbound(TestChannels.Settings("TH", "Outbound", shared.Settings(Folder), shared.Root)));
    }
}
