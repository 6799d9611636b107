using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Host.Tests.Soak;

/// <summary>What one soak drops: N interchanges, every third one XML to be signed, every other EDIFACT one asking for a CONTRL.</summary>
public sealed record SoakInterchange(string Name, string Reference, bool IsXml, bool AsksForContrl, byte[] Content)
{
    public static IReadOnlyList<SoakInterchange> Generate(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var reference = $"SK{i:D6}";
        if (i % 3 == 0)
        {
            return new SoakInterchange($"soak-{i:D6}.xml", reference, IsXml: true, AsksForContrl: false, TestDocuments.CertificateOfOrigin(reference));
        }
        var asks = i % 2 == 1;
        var edifact = Encoding.ASCII.GetString(TestDocuments.Cusdec(reference));
        if (asks)
        {
            // UNB 0031 (acknowledgement request) = 1: the four '+' skip S005, 0026 and 0029.
            edifact = edifact.Replace($"+{reference}'UNH", $"+{reference}++++1'UNH", StringComparison.Ordinal);
        }
        return new SoakInterchange($"soak-{i:D6}.edi", reference, IsXml: false, asks, Encoding.ASCII.GetBytes(edifact));
    }).ToList();
}

/// <summary>
/// The kill -9 soak: the real `hub run` (SQLite store in its own data root) takes interchanges from a folder while it is
/// SIGKILLed K times at random moments (a quarter of them during start-up, the rest while it works) and restarted; then it runs
/// until the drop folder is empty and nothing is left in a non-final state, and <see cref="SoakAudit"/> checks the result.
/// </summary>
public sealed class Kill9Soak(int count, int kills, int seed, TextWriter progress)
{
    public async Task<SoakReport> RunAsync()
    {
        var interchanges = SoakInterchange.Generate(count);
        await using var hub = new HubProcess(Configuration());
        var staging = Directory.CreateDirectory(Path.Combine(hub.Folder, "staging")).FullName;
        var drop = hub.Drop("CN");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var exitedByThemselves = new List<string>();

        // The dropper spreads the files over the time the kills are expected to take (~4 s a round), as a busy partner would.
        var dropper = DropAsync(interchanges, staging, drop, TimeSpan.FromMilliseconds(kills * 4000.0), new Random(seed + 1));
        long interrupted = 0;
        var killsWithWork = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            // Every fourth kill lands in start-up (migration, lease release, recovery); the others while the hub works:
            // a quarter at a random moment after it first answered /health, half right after it delivered a random
            // few more files, so that kills find work in flight however fast or loaded the machine is.
            if (kill % 4 == 0)
            {
                hub.Launch();
                await Task.Delay(random.Next(100, 2500));
            }
            else
            {
                await hub.StartAsync();
                if (kill % 2 == 0)
                {
                    await Task.Delay(random.Next(200, 3000));
                }
                else
                {
                    var target = hub.DeliveredFiles("TH").Length + random.Next(1, 40);
                    await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length >= target), TimeSpan.FromSeconds(10));
                }
            }
            if (hub.ExitCode is { } code)
            {
                exitedByThemselves.Add($"round {kill + 1}: the hub exited by itself with {code}");
            }
            await hub.KillAsync();
            var inFlight = InFlight(hub);
            interrupted += inFlight;
            killsWithWork += inFlight > 0 ? 1 : 0;
        }
        await dropper;
        var deliveredBeforeFinalRun = hub.DeliveredFiles("TH").Length;
        progress.WriteLine($"soak: {count} interchanges dropped, {kills} SIGKILLs in {clock.Elapsed.TotalSeconds:F0} s, {deliveredBeforeFinalRun} delivered so far; final run");

        await hub.StartAsync();
        var settled = await HubProcess.EventuallyAsync(() => Task.FromResult(Settled(hub, interchanges)), TimeSpan.FromSeconds(60 + count * 0.1));
        // A wrongly repeated delivery or CONTRL would show up within a few polls: wait for them before counting.
        await Task.Delay(3000);
        var stopCode = await hub.StopAsync();
        SqliteConnection.ClearAllPools();
        var report = SoakAudit.Check(hub, interchanges, kills, clock.Elapsed);
        report.Problems.AddRange(exitedByThemselves);
        report.Notes.Add($"{killsWithWork} of {kills} kills interrupted work in flight ({interrupted} files, messages or deliveries unfinished in all); {deliveredBeforeFinalRun} delivered before the final run");
        if (!settled)
        {
            report.Problems.Add("the hub did not settle (drop folder empty, every message final) before the time was up");
        }
        if (stopCode != 0)
        {
            report.Problems.Add($"the final SIGTERM stop exited with {stopCode}");
        }
        if (report.Problems.Count > 0)
        {
            var log = hub.Log.Split('\n');
            report.LogTail = string.Join('\n', log.Skip(Math.Max(0, log.Length - 80)));
        }
        return report;
    }

    private static JsonObject Configuration() => new()
    {
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        ["Hub"] = new JsonObject
        {
            ["Partners"] = new JsonObject
            {
                ["CN"] = new JsonObject
                {
                    // StableInterval 0: two consecutive polls must agree (the soak's files are moved in whole).
                    ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = "drop/CN", ["Schedule"] = "00:00:00.200", ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" },
                },
            },
            ["Routes"] = new JsonArray
            {
                new JsonObject { ["Name"] = "Certificates of origin to Thailand, signed", ["DocumentType"] = "CertificateOfOrigin", ["Country"] = "TH", ["To"] = new JsonArray("TH"), ["Sign"] = "document" },
                new JsonObject { ["Name"] = "EDIFACT to Thailand", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH") },
            },
        },
    };

    private async Task DropAsync(IReadOnlyList<SoakInterchange> interchanges, string staging, string drop, TimeSpan over, Random random)
    {
        // Bursts of 1-60 files at the average rate that fills the time: a burst outruns the hub, so kills find work in flight.
        var perFile = over / Math.Max(1, interchanges.Count);
        for (var i = 0; i < interchanges.Count;)
        {
            var burst = Math.Min(random.Next(1, 61), interchanges.Count - i);
            for (var end = i + burst; i < end; i++)
            {
                var staged = Path.Combine(staging, interchanges[i].Name);
                await File.WriteAllBytesAsync(staged, interchanges[i].Content);
                // A rename within one file system: the hub sees the whole file or none of it.
                File.Move(staged, Path.Combine(drop, interchanges[i].Name));
            }
            await Task.Delay(perFile * burst);
        }
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: all {interchanges.Count} dropped"));
    }

    /// <summary>Work the kill interrupted: files not yet taken, messages not final, deliveries pending.</summary>
    private static long InFlight(HubProcess hub)
    {
        var waiting = Directory.EnumerateFiles(hub.Drop("CN")).LongCount();
        if (!File.Exists(Path.Combine(hub.Data, "hub.db")))
        {
            return waiting;
        }
        using var connection = SoakAudit.Open(hub);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT (SELECT COUNT(*) FROM hub_messages WHERE status NOT IN ({SoakAudit.FinalStatuses})) + (SELECT COUNT(*) FROM hub_deliveries WHERE state = 'Pending')";
        try
        {
            return waiting + Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            // Killed before the first migration finished: no tables yet.
            return waiting;
        }
    }

    private static bool Settled(HubProcess hub, IReadOnlyList<SoakInterchange> interchanges) =>
        hub.DeliveredFiles("TH").Length >= interchanges.Count && hub.DeliveredFiles("CN").Length >= interchanges.Count(i => i.AsksForContrl) && InFlight(hub) == 0;
}
