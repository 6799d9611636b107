using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.RemoteFiles;

/// <summary>
/// Connects with retries: a dropped connection or a restarting server is retried with doubling backoff; a refusal
/// that waiting cannot fix (wrong password, wrong host key or certificate) fails at once.
/// </summary>
internal static class RemoteConnection
{
    public static async Task<IRemoteFileSession> ConnectAsync(
        IRemoteFileConnector connector, RemoteFileOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = options.RetryBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await connector.ConnectAsync(cancellationToken);
            }
            catch (RemoteFileException ex) when (ex.Failure == RemoteFailure.Connection && attempt < options.ConnectAttempts)
            {
                await Task.Delay(delay, time, cancellationToken);
                delay += delay;
            }
        }
    }

    /// <summary>One line for logs and SendResult: partner, channel, server, what failed and what to do.</summary>
    public static string Describe(ChannelSettings settings, IRemoteFileConnector connector, RemoteFileException ex) =>
        $"partner {settings.Partner} channel {settings.Channel} ({connector.Describe}): {Kind(ex.Failure)}: {ex.Message}";

    private static string Kind(RemoteFailure failure) => failure switch
    {
        RemoteFailure.Connection => "cannot reach the server (will retry)",
        RemoteFailure.Authentication => "login refused (check Username, Password/PasswordEnv or the key)",
        RemoteFailure.ServerIdentity => "server identity refused",
        RemoteFailure.PermissionDenied => "permission denied (ask the partner to grant access to the folder)",
        RemoteFailure.NotFound => "not found",
        _ => "the server refused the operation (disk full, quota or name clash?)",
    };
}
