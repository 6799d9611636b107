using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// <see cref="IAs2State"/> in files under DataRoot/as2: one small JSON file per seen message (as2/seen) and per pending
/// outbound message (as2/pending, its verdict beside it). The message store has no API for either yet. Every write goes
/// to a temporary name first and is renamed, so a crash never leaves half a record.
/// </summary>
public sealed class FileAs2State : IAs2State
{
    private readonly string _seenFolder;
    private readonly string _pendingFolder;
    private readonly TimeSpan _seenRetention;
    private readonly ILogger _logger;
    private long _rememberedSincePrune;

    /// <param name="dataRoot">Hub:DataRoot.</param>
    /// <param name="seenRetention">How long a received Message-ID is remembered (Hub:As2:SeenRetention, default 90 days).</param>
    public FileAs2State(string dataRoot, TimeSpan? seenRetention = null, ILogger? logger = null)
    {
        _seenFolder = Path.Combine(dataRoot, "as2", "seen");
        _pendingFolder = Path.Combine(dataRoot, "as2", "pending");
        _seenRetention = seenRetention ?? TimeSpan.FromDays(90);
        _logger = logger ?? NullLogger.Instance;
    }

    public Task<As2SeenMessage?> FindSeenAsync(string partner, string messageId, CancellationToken cancellationToken)
    {
        var path = SeenPath(partner, messageId);
        return Task.FromResult(File.Exists(path) ? JsonSerializer.Deserialize<As2SeenMessage>(File.ReadAllText(path)) : null);
    }

    public Task RememberSeenAsync(As2SeenMessage message, CancellationToken cancellationToken)
    {
        // The first record and then every 1000th: pruning scans the folder, too slow for every message.
        if (Interlocked.Increment(ref _rememberedSincePrune) % 1000 == 1)
        {
            var removed = PruneSeen(message.At - _seenRetention);
            if (removed > 0)
            {
                _logger.LogInformation("AS2: forgot {Count} Message-IDs older than {Retention}", removed, _seenRetention);
            }
        }
        Write(SeenPath(message.Partner, message.MessageId), JsonSerializer.Serialize(message));
        return Task.CompletedTask;
    }

    public Task<As2PendingMdn?> FindPendingAsync(string as2MessageId, CancellationToken cancellationToken)
    {
        var path = PendingPath(as2MessageId, ".json");
        if (!File.Exists(path))
        {
            return Task.FromResult<As2PendingMdn?>(null);
        }
        var pending = JsonSerializer.Deserialize<As2PendingMdn>(File.ReadAllText(path))!;
        var verdictPath = PendingPath(as2MessageId, ".verdict.json");
        if (File.Exists(verdictPath) && JsonSerializer.Deserialize<As2MdnVerdict>(File.ReadAllText(verdictPath)) is { } verdict)
        {
            pending = pending with { State = verdict.State, Detail = verdict.Detail, AnsweredAt = verdict.At };
        }
        return Task.FromResult<As2PendingMdn?>(pending);
    }

    public Task SavePendingAsync(As2PendingMdn pending, CancellationToken cancellationToken)
    {
        Write(PendingPath(pending.As2MessageId, ".json"),
            JsonSerializer.Serialize(pending with { State = As2MdnState.Waiting, Detail = null, AnsweredAt = null }));
        return Task.CompletedTask;
    }

    public Task SaveVerdictAsync(string as2MessageId, As2MdnVerdict? verdict, CancellationToken cancellationToken)
    {
        var path = PendingPath(as2MessageId, ".verdict.json");
        if (verdict is null)
        {
            File.Delete(path);
        }
        else
        {
            Write(path, JsonSerializer.Serialize(verdict));
        }
        return Task.CompletedTask;
    }

    private int PruneSeen(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(_seenFolder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_seenFolder, "*.json"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    }

    private static void Write(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A unique temporary name: sender and receiver may write the same pending message at once.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }

    private string SeenPath(string partner, string messageId) => Path.Combine(_seenFolder, Hash($"{partner}|{messageId}") + ".json");

    /// <summary>Peers differ on the angle brackets around a Message-ID; the identity is what is inside them.</summary>
    private string PendingPath(string as2MessageId, string suffix) =>
        Path.Combine(_pendingFolder, Hash(as2MessageId.Trim().TrimStart('<').TrimEnd('>')) + suffix);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
