using System.Globalization;
using System.Text;
using CrossBorderHub.Testing.Servers;
using Npgsql;
using RabbitMQ.Client;

namespace CrossBorderHub.Host.Tests.ScaleOut;

/// <summary>
/// N `hub run` processes that share nothing but one PostgreSQL database (store, payloads, clustered scheduler), with
/// three inbound channels: a shared drop folder (CN), a real sshd (SG) and a real RabbitMQ queue (MY), all routed to
/// one shared delivery folder (TH). Used by the failover test and by the scale-out benchmark (`./build.sh bench scaleout`, docs/scale-out.md).
/// </summary>
internal sealed class FailoverCluster : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private readonly string _queue = "failover-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _shared = Directory.CreateTempSubdirectory("hub-failover-").FullName;
    private string _sftpFolder = "";

    private FailoverCluster(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public List<HubProcess> Nodes { get; } = [];

    public string DropFolder => Directory.CreateDirectory(Path.Combine(_shared, "drop")).FullName;

    public string DeliverFolder => Path.Combine(_shared, "deliver");

    public static async Task<FailoverCluster> CreateAsync(PostgresServer postgres, int instances)
    {
        var database = "hub_failover_" + Guid.NewGuid().ToString("N")[..8];
        var cluster = new FailoverCluster(await postgres.CreateDatabaseAsync(database));
        cluster._sftpFolder = SshdServer.Shared.NewFolder("failover");
        for (var i = 0; i < instances; i++)
        {
            cluster.Nodes.Add(new HubProcess(cluster.Settings($"node-{(char)('a' + i)}")));
        }
        return cluster;
    }

    private JsonObject Settings(string instance)
    {
        var sftp = Channel(SshdServer.Shared.Settings(_sftpFolder));
        // One claim prefix for the cluster: the clustered scheduler runs one poll of a channel at a time, so claims a
        // killed instance left are resumed by the next poll, wherever it runs (docs/scale-out.md).
        sftp["InstanceId"] = "cluster";
        sftp["MinimumAge"] = "00:00:00";
        sftp["Schedule"] = "00:00:00.500";
        var rabbit = Channel(RabbitMqServer.Shared.Settings(_queue));
        rabbit["Schedule"] = "00:00:00.500";
        return new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
            ["Hub"] = new JsonObject
            {
                ["InstanceName"] = instance,
                ["Store"] = new JsonObject { ["Provider"] = "Postgres", [nameof(ConnectionString)] = ConnectionString },
                ["Blobs"] = new JsonObject { ["Provider"] = "Postgres" },
                ["Scheduler"] = new JsonObject { ["Clustered"] = true, ["CheckinInterval"] = "00:00:02" },
                ["Processing"] = new JsonObject { ["Lease"] = Lease.ToString("c", CultureInfo.InvariantCulture) },
                ["Partners"] = new JsonObject
                {
                    ["CN"] = new JsonObject
                    {
                        ["Inbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = DropFolder, ["Schedule"] = "00:00:00.500", ["MinimumAge"] = "00:00:00", ["StableInterval"] = "00:00:00" },
                    },
                    ["SG"] = Partner("SG", "SGSW", sftp),
                    ["MY"] = Partner("MY", "MYSW", rabbit),
                    ["TH"] = new JsonObject { ["Outbound"] = new JsonObject { ["Type"] = "folder", ["Path"] = DeliverFolder } },
                },
            },
        };
    }

    private static JsonObject Channel(Dictionary<string, string?> settings)
    {
        var channel = new JsonObject();
        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            channel[key] = value;
        }
        return channel;
    }

    private static JsonObject Partner(string country, string identifier, JsonObject inbound) => new()
    {
        ["Country"] = country,
        ["Identifiers"] = new JsonArray(identifier),
        ["Validation"] = "codes",
        ["Inbound"] = inbound,
    };

    public Task StartAsync() => Task.WhenAll(Nodes.Select(n => n.StartAsync()));

    /// <summary>The references of the <paramref name="count"/> interchanges, sent round-robin over the three channels.</summary>
    public static IReadOnlyList<string> References(int count, string prefix = "FO") => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i:D5}")];

    /// <summary>Sends one interchange: folder by write-then-rename, SFTP into the served folder, RabbitMQ persistent.</summary>
    public async Task SendAsync(int index, string reference, IChannel rabbit)
    {
        switch (index % 3)
        {
            case 0:
                var temporary = Path.Combine(_shared, reference + ".tmp");
                await File.WriteAllBytesAsync(temporary, TestDocuments.Cusdec(reference));
                File.Move(temporary, Path.Combine(DropFolder, reference + ".edi"));
                break;
            case 1:
                var staging = Path.Combine(_shared, reference + ".sftp");
                await File.WriteAllBytesAsync(staging, TestDocuments.Cusdec(reference, sender: "SGSW"));
                File.Move(staging, Path.Combine(_sftpFolder, reference + ".edi"));
                break;
            default:
                var properties = new BasicProperties
                {
                    Persistent = true,
                    MessageId = reference,
                    Headers = new Dictionary<string, object?> { ["file-name"] = reference + ".edi" },
                };
                await rabbit.BasicPublishAsync("", _queue, true, properties, TestDocuments.Cusdec(reference, sender: "MYSW"));
                break;
        }
    }

    public async Task<(IConnection Connection, IChannel Channel)> RabbitAsync()
    {
        var (connection, channel) = await RabbitMqServer.Shared.AdminAsync();
        await channel.QueueDeclareAsync(_queue, durable: true, exclusive: false, autoDelete: false);
        return (connection, channel);
    }

    /// <summary>
    /// What is still waiting at a source: files in the drop folder, files (or claim names) in the SFTP folder, ready
    /// messages in the queue. Empty once every arrival was taken in.
    /// </summary>
    public async Task<List<string>> LeftAtSourcesAsync(IChannel rabbit)
    {
        var left = Directory.GetFiles(DropFolder).Select(f => "folder " + Path.GetFileName(f))
            .Concat(Directory.GetFiles(_sftpFolder).Select(f => "sftp " + Path.GetFileName(f))).ToList();
        var queue = await rabbit.QueueDeclarePassiveAsync(_queue);
        if (queue.MessageCount > 0)
        {
            left.Add($"rabbitmq {queue.MessageCount} ready messages");
        }
        return left;
    }

    /// <summary>Delivered files under their final names (a delivery in progress is a hidden temporary file).</summary>
    public string[] Delivered() =>
        Directory.Exists(DeliverFolder) ? [.. Directory.GetFiles(DeliverFolder).Where(f => !Path.GetFileName(f).StartsWith('.'))] : [];

    /// <summary>The interchange reference inside each delivered file (UNB's control reference).</summary>
    public List<string> DeliveredReferences() =>
        [.. Delivered().Select(f => Encoding.ASCII.GetString(File.ReadAllBytes(f)).Split("UNZ+1+")[1].Split('\'')[0])];

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    public string Logs() => string.Join("\n", Nodes.Select(n => $"--- {n.ConfigPath}:\n{n.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        TempFolder.Delete(_shared);
    }
}
