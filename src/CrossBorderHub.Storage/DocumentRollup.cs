using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// Keeps hub_document_daily equal to what a GROUP BY over hub_documents would answer: every change to document rows
/// goes through <see cref="TrackAsync"/>, which reads the touched rows' contribution before and after the change and
/// adds the difference, in the caller's transaction (so a rollback undoes both).
/// </summary>
internal static class DocumentRollup
{
    internal readonly record struct Key(string Day, string Origin, string Destination, string Type, string Partner);

    /// <summary>What a set of documents adds to one rollup row.</summary>
    internal sealed class Tally
    {
        public long Documents;
        public long Delivered;
        public long Rejected;
        public long Duplicates;
        public readonly SortedDictionary<int, long> Delivery = [];
        public readonly SortedDictionary<int, long> Acknowledgement = [];

        public bool IsZero => Documents == 0 && Delivered == 0 && Rejected == 0 && Duplicates == 0 && Delivery.Count == 0 && Acknowledgement.Count == 0;

        public void Add(Tally other, int sign)
        {
            Documents += sign * other.Documents;
            Delivered += sign * other.Delivered;
            Rejected += sign * other.Rejected;
            Duplicates += sign * other.Duplicates;
            Merge(Delivery, other.Delivery, sign);
            Merge(Acknowledgement, other.Acknowledgement, sign);
        }
    }

    private const string Columns = "received_day, issuing_country, destination_country, document_type, source_partner, state, delivered_at, latency_bucket, acknowledged_at, received_at";

    /// <summary>Runs <paramref name="change"/> on the documents matching <paramref name="where"/> and moves the rollup by what it changed.</summary>
    public static Task TrackAsync(DbConnection connection, DbTransaction? transaction, string where, object parameters, Func<Task> change, CancellationToken cancellationToken) =>
        TrackAsync(connection, transaction, where, parameters, async _ =>
        {
            await change();
            return true;
        }, cancellationToken);

    /// <summary>
    /// As above, with the matching documents as they were before: <paramref name="change"/> returns false when it changed
    /// nothing the rollup counts (or nothing at all), which saves reading them again.
    /// </summary>
    public static async Task TrackAsync(DbConnection connection, DbTransaction? transaction, string where, object parameters,
        Func<IReadOnlyList<Contribution>, Task<bool>> change, CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync(connection, transaction, where, parameters, cancellationToken);
        if (!await change(rows))
        {
            return;
        }
        var before = Tallies(rows);
        var after = Tallies(await ReadRowsAsync(connection, transaction, where, parameters, cancellationToken));
        foreach (var (key, tally) in before)
        {
            if (!after.TryGetValue(key, out var moved))
            {
                after[key] = moved = new Tally();
            }
            moved.Add(tally, -1);
        }
        // Inside a pipeline batch the rows move once, at its commit, by what all its messages changed: one update per
        // rollup row for the batch's messages of the same day, route and partner instead of one each.
        if (StoreBatch.On(connection) is { } batch)
        {
            batch.DeferRollup(after);
            return;
        }
        await ApplyAsync(connection, transaction, after, cancellationToken);
    }

    /// <summary>Adds <paramref name="deltas"/> into <paramref name="into"/>, key by key.</summary>
    internal static void Accumulate(Dictionary<Key, Tally> into, Dictionary<Key, Tally> deltas)
    {
        foreach (var (key, delta) in deltas)
        {
            if (!into.TryGetValue(key, out var sum))
            {
                into[key] = sum = new Tally();
            }
            sum.Add(delta, 1);
        }
    }

    private static async Task<IReadOnlyList<Contribution>> ReadRowsAsync(DbConnection connection, DbTransaction? transaction, string where, object parameters, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Contribution>(new CommandDefinition(
            $"SELECT {Columns} FROM hub_documents WHERE {where}", parameters, transaction, cancellationToken: cancellationToken))).AsList();

    private static Dictionary<Key, Tally> Tallies(IReadOnlyList<Contribution> rows)
    {
        var tallies = new Dictionary<Key, Tally>();
        foreach (var row in rows)
        {
            Count(tallies, row);
        }
        return tallies;
    }

    private static void Count(Dictionary<Key, Tally> tallies, Contribution row)
    {
        var key = new Key(row.ReceivedDay, row.IssuingCountry, row.DestinationCountry, row.DocumentType, row.SourcePartner);
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies[key] = tally = new Tally();
        }
        tally.Documents++;
        tally.Delivered += row.DeliveredAt is null ? 0 : 1;
        tally.Rejected += row.State == "Rejected" ? 1 : 0;
        tally.Duplicates += row.State == "Duplicate" ? 1 : 0;
        if (row.LatencyBucket is { } bucket)
        {
            tally.Delivery[(int)bucket] = tally.Delivery.GetValueOrDefault((int)bucket) + 1;
        }
        if (row.AcknowledgedAt is { } acknowledged)
        {
            var ack = StatisticsPeriods.Bucket(acknowledged - row.ReceivedAt);
            tally.Acknowledgement[ack] = tally.Acknowledgement.GetValueOrDefault(ack) + 1;
        }
    }

    /// <summary>Adds each tally to its row. Rows are taken in key order so that two transactions never wait on each other in a circle.</summary>
    internal static async Task ApplyAsync(DbConnection connection, DbTransaction? transaction, Dictionary<Key, Tally> deltas, CancellationToken cancellationToken)
    {
        var sqlServer = connection.GetType().Name == "SqlConnection";
        foreach (var (key, delta) in deltas.Where(d => !d.Value.IsZero).OrderBy(d => d.Key.Day, StringComparer.Ordinal).ThenBy(d => d.Key.Origin, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Destination, StringComparer.Ordinal).ThenBy(d => d.Key.Type, StringComparer.Ordinal).ThenBy(d => d.Key.Partner, StringComparer.Ordinal))
        {
            var p = new
            {
                key.Day, key.Origin, key.Destination, key.Type, key.Partner,
                delta.Documents, delta.Delivered, delta.Rejected, delta.Duplicates,
            };
            await connection.ExecuteAsync(new CommandDefinition(sqlServer ? InsertIfAbsentSqlServer : InsertIfAbsent, p, transaction, cancellationToken: cancellationToken));
            // The counter UPDATE takes the row lock first; the histograms are then read and written under it (no lost update).
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_document_daily SET documents = documents + @Documents, delivered = delivered + @Delivered, rejected = rejected + @Rejected, " +
                "duplicates = duplicates + @Duplicates" + Match, p, transaction, cancellationToken: cancellationToken));
            if (delta.Delivery.Count == 0 && delta.Acknowledgement.Count == 0)
            {
                continue;
            }
            var current = await connection.QuerySingleAsync<HistogramRow>(new CommandDefinition(
                "SELECT delivery_latency, ack_latency FROM hub_document_daily" + Match, p, transaction, cancellationToken: cancellationToken));
            var delivery = Parse(current.DeliveryLatency);
            var acknowledgement = Parse(current.AckLatency);
            Merge(delivery, delta.Delivery, 1);
            Merge(acknowledgement, delta.Acknowledgement, 1);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hub_document_daily SET delivery_latency = @DeliveryLatency, ack_latency = @AckLatency" + Match,
                new { key.Day, key.Origin, key.Destination, key.Type, key.Partner, DeliveryLatency = Format(delivery), AckLatency = Format(acknowledgement) },
                transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>A store whose documents predate the rollup table gets it filled once, at migration.</summary>
    public static async Task RebuildIfMissingAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var empty = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MIN(received_day) FROM hub_document_daily", transaction: transaction, cancellationToken: cancellationToken)) is null;
        if (empty && await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(id) FROM hub_documents", transaction: transaction, cancellationToken: cancellationToken)) is not null)
        {
            await RebuildAsync(connection, transaction, cancellationToken);
        }
    }

    /// <summary>Recomputes the whole rollup from hub_documents (a store filled before the rollup existed, or by a bulk load).</summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_document_daily", transaction: transaction, cancellationToken: cancellationToken));
        var tallies = new Dictionary<Key, Tally>();
        // Streamed: a million documents are counted without holding them in memory.
        await foreach (var row in connection.QueryUnbufferedAsync<Contribution>($"SELECT {Columns} FROM hub_documents", transaction: transaction).WithCancellation(cancellationToken))
        {
            Count(tallies, row);
        }
        foreach (var (key, t) in tallies)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_document_daily (received_day, origin, destination, document_type, partner, documents, delivered, rejected, duplicates, delivery_latency, ack_latency) " +
                "VALUES (@Day, @Origin, @Destination, @Type, @Partner, @Documents, @Delivered, @Rejected, @Duplicates, @DeliveryLatency, @AckLatency)",
                new { key.Day, key.Origin, key.Destination, key.Type, key.Partner, t.Documents, t.Delivered, t.Rejected, t.Duplicates, DeliveryLatency = Format(t.Delivery), AckLatency = Format(t.Acknowledgement) },
                transaction, cancellationToken: cancellationToken));
        }
    }

    private const string Match = " WHERE received_day = @Day AND origin = @Origin AND destination = @Destination AND document_type = @Type AND partner = @Partner";

    private const string InsertIfAbsent =
        "INSERT INTO hub_document_daily (received_day, origin, destination, document_type, partner, documents, delivered, rejected, duplicates, delivery_latency, ack_latency) " +
        "VALUES (@Day, @Origin, @Destination, @Type, @Partner, 0, 0, 0, 0, '', '') ON CONFLICT (received_day, origin, destination, document_type, partner) DO NOTHING";

    private const string InsertIfAbsentSqlServer =
        "INSERT INTO hub_document_daily (received_day, origin, destination, document_type, partner, documents, delivered, rejected, duplicates, delivery_latency, ack_latency) " +
        "SELECT @Day, @Origin, @Destination, @Type, @Partner, 0, 0, 0, 0, '', '' WHERE NOT EXISTS (SELECT 1 FROM hub_document_daily WITH (UPDLOCK, HOLDLOCK)" + Match + ")";

    /// <summary>"109:2 113:1": bucket and count, ascending buckets; "" for none.</summary>
    internal static SortedDictionary<int, long> Parse(string text)
    {
        var histogram = new SortedDictionary<int, long>();
        foreach (var pair in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            histogram[int.Parse(pair.AsSpan(0, colon), CultureInfo.InvariantCulture)] = long.Parse(pair.AsSpan(colon + 1), CultureInfo.InvariantCulture);
        }
        return histogram;
    }

    internal static string Format(SortedDictionary<int, long> histogram)
    {
        var text = new StringBuilder();
        foreach (var (bucket, count) in histogram)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(bucket.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count.ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    internal static void Merge(SortedDictionary<int, long> into, SortedDictionary<int, long> from, int sign)
    {
        foreach (var (bucket, count) in from)
        {
            var sum = into.GetValueOrDefault(bucket) + sign * count;
            if (sum == 0)
            {
                into.Remove(bucket);
            }
            else
            {
                into[bucket] = sum;
            }
        }
    }

    /// <summary>What one document row adds to the rollup.</summary>
    internal sealed class Contribution
    {
        public string ReceivedDay { get; set; } = "";
        public string IssuingCountry { get; set; } = "";
        public string DestinationCountry { get; set; } = "";
        public string DocumentType { get; set; } = "";
        public string SourcePartner { get; set; } = "";
        public string State { get; set; } = "";
        public long? DeliveredAt { get; set; }
        public long? LatencyBucket { get; set; }
        public long? AcknowledgedAt { get; set; }
        public long ReceivedAt { get; set; }
    }

    private sealed class HistogramRow
    {
        public string DeliveryLatency { get; set; } = "";
        public string AckLatency { get; set; } = "";
    }
}
