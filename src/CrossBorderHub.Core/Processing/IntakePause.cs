using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Raised by <see cref="Intake"/> while the data disk is full: the channel stops its poll and keeps every source.
/// Not an <see cref="IOException"/> on purpose, so channels do not log it once per file per poll.
/// </summary>
public sealed class StorageFullException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Whether intake is paused because the data disk is full. The condition is logged once when it starts and once when
/// it ends (not per file per poll) and shown on /health, so an admin sees one clear line and a failing health check.
/// </summary>
public sealed class IntakePause(TimeProvider time, ILogger<IntakePause> logger)
{
    private readonly Lock _gate = new();

    public DateTimeOffset? FullSince { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>ENOSPC (28) or EDQUOT (122) on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(Exception exception) =>
        exception is IOException io && (io.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
            || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || io.Message.Contains("quota", StringComparison.OrdinalIgnoreCase));

    public void MarkFull(IOException cause)
    {
        lock (_gate)
        {
            if (FullSince is not null)
            {
                return;
            }
            FullSince = time.GetUtcNow();
            Reason = cause.Message;
        }
        logger.LogError("Intake paused: the data disk is full ({Error}). No source is removed; intake resumes by itself when space is freed under Hub:DataRoot.", cause.Message);
    }

    public void MarkWritable()
    {
        DateTimeOffset? since;
        lock (_gate)
        {
            since = FullSince;
            FullSince = null;
            Reason = null;
        }
        if (since is not null)
        {
            logger.LogWarning("Intake resumed: the data disk has space again (paused since {Since:O}).", since);
        }
    }
}
