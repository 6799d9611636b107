using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Request bodies on disk under DataRoot/as2/spool while they are unwrapped, so a large message never sits in memory
/// and an over-long one is cut off at the limit without being read to the end.
/// </summary>
internal sealed class As2Spool(As2ReceiverOptions options, ILogger logger)
{
    /// <summary>Spool files a crash left behind: their senders got no MDN and resend, so they are only clutter.</summary>
    public void RemoveOrphans(DateTimeOffset now)
    {
        if (!Directory.Exists(options.SpoolFolder))
        {
            return;
        }
        var cutoff = now.UtcDateTime.AddHours(-1);
        foreach (var file in Directory.EnumerateFiles(options.SpoolFolder))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff)
                {
                    File.Delete(file);
                }
            }
            catch (IOException ex)
            {
                logger.LogWarning("AS2 spool file {File} not removed: {Reason}", PartnerText.Escape(file), PartnerText.Escape(ex.Message));
            }
        }
    }

    /// <summary>A fresh spool file name; the caller deletes the file (and its ".decrypted" sibling) when done.</summary>
    public string NewPath()
    {
        Directory.CreateDirectory(options.SpoolFolder);
        return Path.Combine(options.SpoolFolder, Guid.NewGuid().ToString("N") + ".body");
    }

    /// <summary>Copies the body to <paramref name="path"/>; false as soon as it exceeds MaxBodyBytes.</summary>
    public async Task<bool> WriteAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > options.MaxBodyBytes)
            {
                return false;
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return true;
    }
}
