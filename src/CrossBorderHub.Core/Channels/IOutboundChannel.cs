namespace CrossBorderHub.Core.Channels;

/// <summary>
/// A destination (folder, SFTP, FTP, queue, AS2). Expected failures are values, not exceptions: the outbox
/// retries <see cref="SendOutcome.RetryLater"/> with backoff and never retries <see cref="SendOutcome.Rejected"/>.
/// Implementations write under <see cref="OutboundDocument.FileName"/> (deterministic per message and partner) via a
/// temporary name and a rename, so a retried attempt cannot leave a second or partial copy.
/// </summary>
public interface IOutboundChannel : IAsyncDisposable
{
    Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken);

    /// <summary>
    /// How many <see cref="SendAsync"/> calls this channel takes at once (1: one at a time, the safe default for a
    /// channel holding one connection). The delivery loop sends up to this many of a batch side by side, so their
    /// flushes overlap; it still records the attempts one by one, after the sends.
    /// </summary>
    int ConcurrentSends => 1;
}

/// <summary>One document to deliver. <see cref="OpenContent"/> opens a fresh stream per attempt.</summary>
public sealed record OutboundDocument(
    string MessageId,
    string FileName,
    long Length,
    Func<CancellationToken, ValueTask<Stream>> OpenContent,
    IReadOnlyDictionary<string, string> Headers);

public enum SendOutcome
{
    Delivered,
    RetryLater,
    Rejected,
}

/// <summary>The result of one delivery attempt; <see cref="Detail"/> says why for the audit trail.</summary>
public sealed record SendResult(SendOutcome Outcome, string? Detail = null)
{
    public static SendResult Delivered(string? detail = null) => new(SendOutcome.Delivered, detail);
    public static SendResult RetryLater(string detail) => new(SendOutcome.RetryLater, detail);
    public static SendResult Rejected(string detail) => new(SendOutcome.Rejected, detail);
}
