using CrossBorderHub.Channels.Sftp;
using CrossBorderHub.Channels.Tests.Contracts;

namespace CrossBorderHub.Channels.Tests.Sftp;

public sealed class SftpInboundContract() : RemoteFolderInboundContract(() => SshdServer.Shared, new SftpChannelFactory());

public sealed class SftpOutboundContract() : RemoteFolderOutboundContract(() => SshdServer.Shared, new SftpChannelFactory());
