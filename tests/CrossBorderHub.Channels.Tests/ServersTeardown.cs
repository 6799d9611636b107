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
        TempFolder.Delete(TempFolder.RunRoot);
    }
}
