using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Outbound messages waiting for their asynchronous MDN, one file each under DataRoot/as2/pending. The sender writes
/// a record after a successful POST; the receive endpoint fills in the MDN's verdict; the next delivery attempt of the
/// same document reads it (Delivered, Rejected, still waiting, or timed out and resent).
/// </summary>
internal sealed class As2PendingMdns(string dataRoot)
{
    private readonly string _folder = Path.Combine(dataRoot, "as2", "pending");

    public enum State
    {
        Waiting,
        Acknowledged,
        Failed,
    }

    public sealed record Record(
        string As2MessageId, string DocumentId, string Partner, string PartnerAs2Id, string ExpectedMic,
        DateTimeOffset SentAt, List<string> PartnerCertificatePem, State State = State.Waiting, string? Detail = null,
        DateTimeOffset? AnsweredAt = null, int Sends = 1);

    public Record? Find(string as2MessageId)
    {
        var path = PathOf(as2MessageId);
        return File.Exists(path) ? JsonSerializer.Deserialize<Record>(File.ReadAllText(path)) : null;
    }

    public void Save(Record record)
    {
        Directory.CreateDirectory(_folder);
        var path = PathOf(record.As2MessageId);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record));
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string as2MessageId) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeId(as2MessageId)))) + ".json");

    /// <summary>Peers differ on the angle brackets; the identity is what is inside them.</summary>
    public static string NormalizeId(string id) => id.Trim().TrimStart('<').TrimEnd('>');
}
