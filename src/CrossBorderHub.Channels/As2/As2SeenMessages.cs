using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Message-IDs already stored, per partner, with the MDN that answered them: a resent message is answered with the
/// same MDN and not stored twice. One small file per message under DataRoot/as2/seen (the store has no API for it),
/// written by temporary name + rename so a crash never leaves half a record.
/// </summary>
internal sealed class As2SeenMessages(string dataRoot)
{
    private readonly string _folder = Path.Combine(dataRoot, "as2", "seen");

    public sealed record Record(string Partner, string MessageId, string StoredAs, DateTimeOffset At, int Status,
        Dictionary<string, string> Headers, string BodyBase64, string? AsyncUrl);

    public Record? Find(string partner, string messageId)
    {
        var path = PathOf(partner, messageId);
        if (!File.Exists(path))
        {
            return null;
        }
        return JsonSerializer.Deserialize<Record>(File.ReadAllText(path));
    }

    public void Add(Record record)
    {
        Directory.CreateDirectory(_folder);
        var path = PathOf(record.Partner, record.MessageId);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Forgets records older than the cutoff; a resend after that long is stored again (and is a duplicate for the store).</summary>
    public int Prune(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(_folder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_folder, "*.json"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    }

    private string PathOf(string partner, string messageId) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{partner}|{messageId}"))) + ".json");
}
