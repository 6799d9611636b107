using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrossBorderHub.Core.Channels;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// <see cref="IAs2State"/> in the message store (tables of <see cref="ScaleOutSchema"/>): every instance sharing the
/// database answers a partner's resend from the same seen record and matches an asynchronous MDN that another
/// instance's send is waiting for. Records are the same JSON the file implementation writes, one row each.
/// </summary>
public sealed class DapperAs2State(SqlDialect dialect, TimeSpan? seenRetention = null) : IAs2State
{
    private readonly TimeSpan _seenRetention = seenRetention ?? TimeSpan.FromDays(90);
    private long _rememberedSincePrune;

    public async Task<As2SeenMessage?> FindSeenAsync(string partner, string messageId, CancellationToken cancellationToken)
    {
        var record = await ReadAsync("SELECT record FROM hub_as2_seen WHERE seen_key = @Key", Hash($"{partner}|{messageId}"), cancellationToken);
        return record is null ? null : JsonSerializer.Deserialize<As2SeenMessage>(record);
    }

    public async Task RememberSeenAsync(As2SeenMessage message, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        // The first record and then every 1000th, as the file store does: a DELETE per message would cost a scan each.
        if (Interlocked.Increment(ref _rememberedSincePrune) % 1000 == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_as2_seen WHERE at < @Cutoff",
                new { Cutoff = Time.To(message.At - _seenRetention) }, cancellationToken: cancellationToken));
        }
        await UpsertAsync(connection, new { Key = Hash($"{message.Partner}|{message.MessageId}"), message.Partner, At = Time.To(message.At), Record = JsonSerializer.Serialize(message) },
            "INSERT INTO hub_as2_seen (seen_key, partner, at, record) VALUES (@Key, @Partner, @At, @Record)",
            "UPDATE hub_as2_seen SET partner = @Partner, at = @At, record = @Record WHERE seen_key = @Key", cancellationToken);
    }

    public async Task<As2PendingMdn?> FindPendingAsync(string as2MessageId, CancellationToken cancellationToken)
    {
        var key = PendingKey(as2MessageId);
        await using var connection = dialect.CreateConnection();
        var rows = (await connection.QueryAsync<(string Kind, string Record)>(new CommandDefinition(
            "SELECT 'p', record FROM hub_as2_pending WHERE pending_key = @Key UNION ALL SELECT 'v', record FROM hub_as2_verdicts WHERE pending_key = @Key",
            new { Key = key }, cancellationToken: cancellationToken))).ToList();
        if (rows.FirstOrDefault(r => r.Kind == "p").Record is not { } pendingJson)
        {
            return null;
        }
        var pending = JsonSerializer.Deserialize<As2PendingMdn>(pendingJson)!;
        if (rows.FirstOrDefault(r => r.Kind == "v").Record is { } verdictJson && JsonSerializer.Deserialize<As2MdnVerdict>(verdictJson) is { } verdict)
        {
            pending = pending with { State = verdict.State, Detail = verdict.Detail, AnsweredAt = verdict.At };
        }
        return pending;
    }

    public async Task SavePendingAsync(As2PendingMdn pending, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var record = JsonSerializer.Serialize(pending with { State = As2MdnState.Waiting, Detail = null, AnsweredAt = null });
        await UpsertAsync(connection, new { Key = PendingKey(pending.As2MessageId), At = Time.To(pending.SentAt), Record = record },
            "INSERT INTO hub_as2_pending (pending_key, at, record) VALUES (@Key, @At, @Record)",
            "UPDATE hub_as2_pending SET at = @At, record = @Record WHERE pending_key = @Key", cancellationToken);
    }

    public async Task SaveVerdictAsync(string as2MessageId, As2MdnVerdict? verdict, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var key = PendingKey(as2MessageId);
        if (verdict is null)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_as2_verdicts WHERE pending_key = @Key", new { Key = key }, cancellationToken: cancellationToken));
            return;
        }
        await UpsertAsync(connection, new { Key = key, At = Time.To(verdict.At), Record = JsonSerializer.Serialize(verdict) },
            "INSERT INTO hub_as2_verdicts (pending_key, at, record) VALUES (@Key, @At, @Record)",
            "UPDATE hub_as2_verdicts SET at = @At, record = @Record WHERE pending_key = @Key", cancellationToken);
    }

    private async Task<string?> ReadAsync(string sql, string key, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(sql, new { Key = key }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// UPDATE, else INSERT, else (another instance inserted the same key in between: the primary key refused ours)
    /// UPDATE again. Portable to the three databases, unlike their three upsert syntaxes; the last writer wins, as
    /// with the file implementation's rename.
    /// </summary>
    private static async Task UpsertAsync(DbConnection connection, object row, string insert, string update, CancellationToken cancellationToken)
    {
        if (await connection.ExecuteAsync(new CommandDefinition(update, row, cancellationToken: cancellationToken)) > 0)
        {
            return;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(insert, row, cancellationToken: cancellationToken));
        }
        catch (DbException)
        {
            // The concurrent insert won the key: put our values on its row; no row at all means the failure was another.
            if (await connection.ExecuteAsync(new CommandDefinition(update, row, cancellationToken: cancellationToken)) == 0)
            {
                throw;
            }
        }
    }

    /// <summary>Peers differ on the angle brackets around a Message-ID; the identity is what is inside them.</summary>
    private static string PendingKey(string as2MessageId) => Hash(as2MessageId.Trim().TrimStart('<').TrimEnd('>'));

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
