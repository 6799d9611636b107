using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Host.Tests.Soak;

/// <summary>The soak's verdict: the summary line's four numbers, the CONTRL count, and every problem found, each in one line.</summary>
public sealed class SoakReport
{
    public int Delivered { get; set; }
    public int Lost { get; set; }
    public int Duplicated { get; set; }
    public int Stuck { get; set; }
    public int ContrlsExpected { get; set; }
    public int ContrlsDelivered { get; set; }
    public List<string> Problems { get; } = [];
    public List<string> Notes { get; } = [];
    public string LogTail { get; set; } = "";

    public string Summary => $"{Delivered} delivered, {Lost} lost, {Duplicated} duplicated, {Stuck} stuck";

    public override string ToString() =>
        string.Join('\n', new[] { Summary, $"{ContrlsDelivered} CONTRLs for {ContrlsExpected} interchanges that asked for one" }
            .Concat(Notes.Select(n => "note: " + n)).Concat(Problems.Take(40).Select(p => "problem: " + p))
            .Concat(Problems.Count > 40 ? [$"problem: ... and {Problems.Count - 40} more"] : []));
}

/// <summary>
/// Checks a soak's outcome from the outside (the destination folders) and the inside (the SQLite store and blob files):
/// every interchange delivered once with its own bytes (XML: its reference, signed), one CONTRL per interchange that
/// asked, no message or delivery in a non-final state, every referenced blob present with its SHA-256, no orphan rows.
/// </summary>
public static partial class SoakAudit
{
    /// <summary>States a message may rest in; Received and Routed mean work is still owed.</summary>
    public const string FinalStatuses = "'Delivered', 'Acknowledged', 'Duplicate', 'Rejected', 'DeadLettered'";

    public static SqliteConnection Open(HubProcess hub)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(hub.Data, "hub.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    public static SoakReport Check(HubProcess hub, IReadOnlyList<SoakInterchange> interchanges, int kills, TimeSpan elapsed)
    {
        var report = new SoakReport();
        CheckDeliveries(hub, interchanges, report);
        CheckContrls(hub, interchanges, report);
        using (var connection = Open(hub))
        {
            CheckStore(hub, connection, report);
        }
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{interchanges.Count} interchanges, {kills} SIGKILLs, {elapsed.TotalSeconds:F0} s"));
        return report;
    }

    private static void CheckDeliveries(HubProcess hub, IReadOnlyList<SoakInterchange> interchanges, SoakReport report)
    {
        var byName = interchanges.ToDictionary(i => i.Name);
        var delivered = hub.DeliveredFiles("TH");
        var seen = new Dictionary<string, int>();
        var contents = new HashSet<string>();
        foreach (var file in delivered)
        {
            var name = Path.GetFileName(file);
            var at = name.IndexOf("soak-", StringComparison.Ordinal);
            if (at < 0 || !byName.TryGetValue(name[at..], out var interchange))
            {
                report.Problems.Add($"unexpected delivery {name}");
                report.Duplicated++;
                continue;
            }
            seen[interchange.Name] = seen.GetValueOrDefault(interchange.Name) + 1;
            var bytes = File.ReadAllBytes(file);
            if (!contents.Add(Convert.ToHexString(SHA256.HashData(bytes))))
            {
                report.Problems.Add($"{name} has the same content as another delivery");
            }
            if (interchange.IsXml
                ? !Encoding.UTF8.GetString(bytes).Contains($"<ReferenceNumber>{interchange.Reference}</ReferenceNumber>", StringComparison.Ordinal)
                  || !Encoding.UTF8.GetString(bytes).Contains("Signature", StringComparison.Ordinal)
                : !bytes.AsSpan().SequenceEqual(interchange.Content))
            {
                report.Problems.Add($"{name}: the delivered content is not {interchange.Name}'s" + (interchange.IsXml ? " (signed)" : ""));
            }
        }
        foreach (var interchange in interchanges)
        {
            var times = seen.GetValueOrDefault(interchange.Name);
            if (times == 0)
            {
                report.Lost++;
                report.Problems.Add($"{interchange.Name} was not delivered" + (File.Exists(Path.Combine(hub.Drop("CN"), interchange.Name)) ? " (still in the drop folder)" : ""));
            }
            else if (times > 1)
            {
                report.Duplicated += times - 1;
                report.Problems.Add($"{interchange.Name} was delivered {times} times");
            }
        }
        report.Delivered = seen.Count;
        var litter = Directory.Exists(hub.Deliver("TH")) ? Directory.GetFiles(hub.Deliver("TH"), ".*").Length : 0;
        if (litter > 0)
        {
            report.Notes.Add($"{litter} hidden temporary file(s) left in the destination folder by killed deliveries");
        }
    }

    private static void CheckContrls(HubProcess hub, IReadOnlyList<SoakInterchange> interchanges, SoakReport report)
    {
        var asked = interchanges.Where(i => i.AsksForContrl).Select(i => i.Reference).ToHashSet();
        report.ContrlsExpected = asked.Count;
        var answered = new Dictionary<string, int>();
        foreach (var file in hub.DeliveredFiles("CN"))
        {
            var match = AnsweredReference().Match(File.ReadAllText(file));
            var reference = match.Success ? match.Groups[1].Value : "?";
            answered[reference] = answered.GetValueOrDefault(reference) + 1;
            report.ContrlsDelivered++;
            if (!asked.Contains(reference))
            {
                report.Problems.Add($"{Path.GetFileName(file)} answers {reference}, which did not ask for a CONTRL");
            }
        }
        foreach (var reference in asked)
        {
            var times = answered.GetValueOrDefault(reference);
            if (times != 1)
            {
                report.Problems.Add($"interchange {reference} asked for a CONTRL and got {times}");
            }
        }
    }

    private static void CheckStore(HubProcess hub, SqliteConnection connection, SoakReport report)
    {
        foreach (var (id, status) in Rows<(string, string)>(connection, $"SELECT id, status FROM hub_messages WHERE status NOT IN ({FinalStatuses})"))
        {
            report.Stuck++;
            report.Problems.Add($"message {id} is still {status}");
        }
        foreach (var (id, messageId) in Rows<(long, string)>(connection, "SELECT id, message_id FROM hub_deliveries WHERE state = 'Pending'"))
        {
            report.Stuck++;
            report.Problems.Add($"delivery {id} of message {messageId} is still Pending");
        }
        var statuses = Rows<(string Status, long Count)>(connection, "SELECT status, COUNT(*) FROM hub_messages GROUP BY status ORDER BY status");
        report.Notes.Add("messages by status: " + string.Join(", ", statuses.Select(s => $"{s.Status} {s.Count}")) + " (Duplicate: a file taken again after a kill, not processed twice)");
        foreach (var (id, status) in Rows<(string, string)>(connection, "SELECT id, status FROM hub_messages WHERE status IN ('Rejected', 'DeadLettered')"))
        {
            report.Problems.Add($"message {id} is {status}");
        }
        Orphans(connection, report, "event(s) of no message", "SELECT COUNT(*) FROM hub_events WHERE message_id NOT IN (SELECT id FROM hub_messages)");
        Orphans(connection, report, "delivery row(s) of no message", "SELECT COUNT(*) FROM hub_deliveries WHERE message_id NOT IN (SELECT id FROM hub_messages)");
        Orphans(connection, report, "message(s) relating to a message that does not exist",
            "SELECT COUNT(*) FROM hub_messages WHERE related_message_id IS NOT NULL AND related_message_id NOT IN (SELECT id FROM hub_messages)");
        Orphans(connection, report, "Routed/Delivered message(s) without a delivery row",
            "SELECT COUNT(*) FROM hub_messages m WHERE m.status IN ('Routed', 'Delivered') AND NOT EXISTS (SELECT 1 FROM hub_deliveries d WHERE d.message_id = m.id)" +
            " AND NOT EXISTS (SELECT 1 FROM hub_events e WHERE e.message_id = m.id AND e.kind = 'consumed')");
        Orphans(connection, report, "CONTRL(s) beyond one per original",
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM hub_messages WHERE source_partner = 'HUB' GROUP BY related_message_id, source_channel) x");

        // Through the hub's own default store: small payloads are rows of hub.db, the others files under blobs/.
        var blobs = Path.Combine(hub.Data, "blobs");
        var store = new CrossBorderHub.Storage.Blobs.TieredBlobStore(
            new CrossBorderHub.Storage.Sqlite.SqliteDialect($"Data Source={Path.Combine(hub.Data, "hub.db")};Pooling=False"),
            new CrossBorderHub.Storage.Blobs.FileBlobStore(blobs), TimeProvider.System);
        var referenced = Rows<(string, long)>(connection, "SELECT blob_hash, length FROM hub_messages UNION SELECT blob_hash, length FROM hub_deliveries");
        foreach (var (hash, length) in referenced)
        {
            if (!store.Exists(hash))
            {
                report.Problems.Add($"blob {hash} is referenced but missing");
                continue;
            }
            using var stream = new MemoryStream();
            using (var read = store.OpenRead(hash))
            {
                read.CopyTo(stream);
            }
            var actual = Convert.ToHexString(SHA256.HashData(stream.ToArray()));
            if (!actual.Equals(hash, StringComparison.OrdinalIgnoreCase) || stream.Length != length)
            {
                report.Problems.Add($"blob {hash} holds {stream.Length} bytes with sha256 {actual}, not {length} bytes with its name's hash");
            }
        }
        var known = referenced.Select(r => r.Item1.ToUpperInvariant()).ToHashSet();
        var files = Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories) : [];
        var incoming = files.Count(f => Path.GetFileName(Path.GetDirectoryName(f)) == "incoming");
        var stored = files.Where(f => Path.GetFileName(Path.GetDirectoryName(f)) != "incoming").Select(Path.GetFileName)
            .Concat(Rows<string>(connection, "SELECT sha256 FROM hub_blobs"));
        var unreferenced = stored.Count(name => !known.Contains(name!.ToUpperInvariant()));
        report.Notes.Add($"{known.Count} blobs referenced and verified; {unreferenced} unreferenced blob(s) (written before a kill, harmless); {incoming} temporary file(s) in blobs/incoming (left by kills; the orphan sweep removes them once older than OrphanBlobAge)");
    }

    private static void Orphans(SqliteConnection connection, SoakReport report, string what, string countSql)
    {
        var count = Rows<long>(connection, countSql).Single();
        if (count > 0)
        {
            report.Problems.Add($"{count} {what}");
        }
    }

    private static List<T> Rows<T>(SqliteConnection connection, string sql) => Dapper.SqlMapper.Query<T>(connection, sql).ToList();

    [GeneratedRegex(@"UCI\+([^+']+)\+")]
    private static partial Regex AnsweredReference();
}
