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
        DateTimeOffset? AnsweredAt = null, int Sends = 1, bool Posted = false);

    /// <summary>The receive endpoint's verdict, in a file of its own so sender and receiver never overwrite each other.</summary>
    public sealed record Verdict(State State, string Detail, DateTimeOffset At);

    public Record? Find(string as2MessageId)
    {
        var path = PathOf(as2MessageId, ".json");
        if (!File.Exists(path))
        {
            return null;
        }
        var record = JsonSerializer.Deserialize<Record>(File.ReadAllText(path))!;
        var verdictPath = PathOf(as2MessageId, ".verdict.json");
        if (File.Exists(verdictPath) && JsonSerializer.Deserialize<Verdict>(File.ReadAllText(verdictPath)) is { } verdict)
        {
            record = record with { State = verdict.State, Detail = verdict.Detail, AnsweredAt = verdict.At };
        }
        return record;
    }

    /// <summary>Written by the sender before and after each POST (before: so an MDN faster than the HTTP answer finds it).</summary>
    public void Save(Record record) => Write(PathOf(record.As2MessageId, ".json"), JsonSerializer.Serialize(record with { State = State.Waiting, Detail = null, AnsweredAt = null }));

    /// <summary>Written by the receive endpoint when the MDN arrives.</summary>
    public void SaveVerdict(string as2MessageId, Verdict verdict) => Write(PathOf(as2MessageId, ".verdict.json"), JsonSerializer.Serialize(verdict));

    /// <summary>Before a resend: the old verdict (e.g. a MIC mismatch) no longer applies.</summary>
    public void ClearVerdict(string as2MessageId) => File.Delete(PathOf(as2MessageId, ".verdict.json"));

    private void Write(string path, string json)
    {
        Directory.CreateDirectory(_folder);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string as2MessageId, string suffix) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeId(as2MessageId)))) + suffix);

    /// <summary>Peers differ on the angle brackets; the identity is what is inside them.</summary>
    public static string NormalizeId(string id) => id.Trim().TrimStart('<').TrimEnd('>');
}
