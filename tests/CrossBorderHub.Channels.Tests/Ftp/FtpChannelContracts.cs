using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Ftp;

public sealed class FtpInboundContract() : RemoteFolderInboundContract(() => VsftpdServer.Shared, new FtpChannelFactory());

public sealed class FtpOutboundContract() : RemoteFolderOutboundContract(() => VsftpdServer.Shared, new FtpChannelFactory());
