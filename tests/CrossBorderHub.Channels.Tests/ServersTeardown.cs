using CrossBorderHub.Channels.Tests.Servers;

namespace CrossBorderHub.Channels.Tests;

/// <summary>Assembly-wide: stops every server the tests started (by process id) and removes their temp folders.</summary>
[SetUpFixture]
public sealed class ServersTeardown
{
    [OneTimeTearDown]
    public void StopServers()
    {
        SshdServer.StopShared();
        RabbitMqServer.StopShared();
        VsftpdServer.StopShared();
        try
        {
            Directory.Delete(ServerRoots.Root, recursive: true);
        }
        catch (IOException)
        {
            // A mount (full-disk test) or a busy file: the OS cleans /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
