using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Storage;
using CrossBorderHub.Storage.Sqlite;

namespace CrossBorderHub.Benchmarks;

/// <summary>
/// `documents DB_FILE|postgres:CONNECTION_STRING COUNT`: fills a fresh SQLite (or PostgreSQL) store with COUNT documents
/// spread over a year (5 countries, 4 types, 3 partners, 90 % delivered with a latency, half of those acknowledged),
/// builds the statistics rollup, then times the statistics queries (rollup, and the full scan it replaces, which
/// must give the same answer) and a lookup by number.
/// </summary>
internal static class DocumentStoreBenchmark
{
    private static readonly string[] Countries = ["CN", "TH", "VN", "MY", "LA"];
    private static readonly string[] Types = ["CertificateOfOrigin", "CUSDEC/830", "PhytosanitaryCertificate", "CUSCAR/85"];

    public static async Task<int> RunAsync(string path, int count)
    {
        // COUNT 0: measure again on the store a previous run generated.
        var reuse = count == 0;
        SqlDialect dialect;
        if (path.StartsWith("postgres:", StringComparison.Ordinal))
        {
            dialect = new CrossBorderHub.Storage.Postgres.PostgresDialect(path["postgres:".Length..]);
            if (!reuse)
            {
                await using var connection = dialect.CreateConnection();
                await using var drop = connection.CreateCommand();
                drop.CommandText = "DROP SCHEMA public CASCADE; CREATE SCHEMA public";
                await drop.ExecuteNonQueryAsync();
            }
        }
        else
        {
            if (!reuse)
            {
                File.Delete(path);
            }
            dialect = new SqliteDialect($"Data Source={path}");
        }
        await new StoreSchema(dialect).MigrateAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        if (reuse)
        {
            count = await new DapperDocumentStore(dialect).FindAsync(new DocumentQuery(Limit: 1), CancellationToken.None) is [var last] ? (int)last.Id : 0;
        }
        else
        {
            await FillAsync(dialect, count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {count:N0} documents in {watch.Elapsed.TotalSeconds:F1} s"));
            watch.Restart();
            await new DapperDocumentStatistics(dialect).RebuildAsync(CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rollup built in {watch.Elapsed.TotalSeconds:F1} s"));
        }

        var statistics = new DapperDocumentStatistics(dialect);
        var scan = new ScanDocumentStatistics(dialect);
        var documents = new DapperDocumentStore(dialect);
        foreach (var (name, query) in new[]
        {
            ("by country,type per month", new StatisticsQuery([StatisticsDimension.Origin, StatisticsDimension.Destination, StatisticsDimension.Type], StatisticsPeriod.Month)),
            ("by partner per day", new StatisticsQuery([StatisticsDimension.Partner], StatisticsPeriod.Day)),
            ("by type per week, one quarter", new StatisticsQuery([StatisticsDimension.Type], StatisticsPeriod.Week, new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31))),
        })
        {
            IReadOnlyList<StatisticsRow> rows = [], scanned = [];
            var time = await Median(5, async () => (rows = await statistics.QueryAsync(query, CancellationToken.None)).Count);
            var scanTime = await Median(1, async () => (scanned = await scan.QueryAsync(query, CancellationToken.None)).Count);
            var same = rows.SequenceEqual(scanned);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"statistics {name}: {rows.Count} groups, rollup median {time:F0} ms, full scan {scanTime:F0} ms, same answer: {same}"));
            if (!same)
            {
                return 1;
            }
        }
        var lookup = await Median(50, async () => (await documents.FindAsync(new DocumentQuery(Number: $"DOC{count / 2:D8}"), CancellationToken.None)).Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lookup by number: median {lookup:F2} ms"));
        var verify = await Median(50, async () => (await documents.VerifyAsync(new VerifyQuery("CertificateOfOrigin", $"DOC{count / 3:D8}", Countries[count / 3 % 5]), "benchmark", DateTimeOffset.UtcNow, CancellationToken.None)).Known ? 1 : 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify: median {verify:F2} ms"));
        return 0;
    }

    private static async Task<double> Median(int runs, Func<Task<int>> action)
    {
        await action(); // warm
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static async Task FillAsync(SqlDialect dialect, int count)
    {
        await using var connection = dialect.CreateConnection();
                await using var transaction = await connection.BeginTransactionAsync();
        await using var message = connection.CreateCommand();
        message.Transaction = transaction;
        message.CommandText = "INSERT INTO hub_messages (id, received_at, source_partner, source_channel, remote_name, blob_hash, length, status, format, is_test, updated_at) " +
            "VALUES (@id, @at, @partner, 'folder', 'f.xml', @hash, 100, 'Delivered', 'Xml', 0, @at)";
        await using var document = connection.CreateCommand();
        document.Transaction = transaction;
        document.CommandText = """
            INSERT INTO hub_documents (message_id, message_index, message_reference, document_type, document_number, message_function, function_code,
              issue_date, issuing_country, destination_country, recorded_at, referenced_number, state, has_warning, source_partner, source_channel,
              received_at, received_day, received_week, received_month, delivered_at, latency_bucket, acknowledged_at)
            VALUES (@id, 0, '', @type, @number, 'Original', '9', @day, @origin, @destination, @at, '', @state, 0, @partner, 'folder',
              @at, @day, @week, @month, @delivered, @bucket, @acknowledged)
            """;
        var names = new[] { "id", "at", "partner", "hash", "type", "number", "day", "origin", "destination", "state", "week", "month", "delivered", "bucket", "acknowledged" };
        var parameters = new Dictionary<string, DbParameter>();
        foreach (var name in names)
        {
            var p = document.CreateParameter();
            p.ParameterName = name;
            document.Parameters.Add(p);
            parameters[name] = p;
        }
        DbParameter Mp(string name) { var p = message.CreateParameter(); p.ParameterName = name; message.Parameters.Add(p); return p; }
        var (mid, mat, mpartner, mhash) = (Mp("id"), Mp("at"), Mp("partner"), Mp("hash"));
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(16);
        for (var i = 0; i < count; i++)
        {
            var received = start.AddSeconds(i * (365.0 * 86400 / count));
            var at = received.ToUnixTimeMilliseconds();
            var delivered = i % 10 != 0;
            var latency = (long)(200 + random.NextDouble() * random.NextDouble() * 60_000);
            var utc = received.UtcDateTime;
            var id = $"m{i:D8}";
            mid.Value = id; mat.Value = at; mpartner.Value = Countries[i % 3]; mhash.Value = $"{i:x64}";
            await message.ExecuteNonQueryAsync();
            object[] values = [id, at, Countries[i % 3], "", Types[i % 4], $"DOC{i:D8}", StatisticsPeriods.Day(utc), Countries[i % 5], Countries[(i + 1) % 5],
                delivered ? "Delivered" : i % 20 == 0 ? "Rejected" : "Duplicate", StatisticsPeriods.Week(utc), StatisticsPeriods.Month(utc),
                delivered ? at + latency : DBNull.Value, delivered ? StatisticsPeriods.Bucket(latency) : DBNull.Value,
                delivered && i % 2 == 0 ? at + 3 * latency : DBNull.Value];
            for (var n = 0; n < names.Length; n++)
            {
                parameters[names[n]].Value = values[n];
            }
            await document.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
