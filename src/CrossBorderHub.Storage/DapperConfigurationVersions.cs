using System.Data.Common;
using CrossBorderHub.Core.Configuration;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The versions of the partners and routes over any <see cref="SqlDialect"/>.</summary>
public sealed class DapperConfigurationVersions(SqlDialect dialect) : IConfigurationVersions
{
    private const string Columns = "version, saved_at, user_name, comment, config_json, file_hash";

    public async Task<long> LatestVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(version) FROM hub_config_versions", cancellationToken: cancellationToken)) ?? 0;
    }

    public async Task<ConfigurationVersion?> GetAsync(long? version, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var where = version is null ? "version = (SELECT MAX(version) FROM hub_config_versions)" : "version = @Version";
        var row = await connection.QueryFirstOrDefaultAsync<VersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM hub_config_versions WHERE {where}", new { Version = version ?? 0 }, cancellationToken: cancellationToken));
        return row?.ToVersion();
    }

    public async Task<IReadOnlyList<ConfigurationVersion>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<VersionRow>(new CommandDefinition(
            "SELECT version, saved_at, user_name, comment, '' AS config_json, file_hash FROM hub_config_versions ORDER BY version DESC", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToVersion()).ToList();
    }

    public async Task<bool> HasFileHashAsync(string fileHash, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM hub_config_versions WHERE file_hash = @Hash", new { Hash = fileHash }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<long?> AddAsync(long? expectedLatest, DateTimeOffset at, string user, string comment, string json, string? fileHash, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var latest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(version) FROM hub_config_versions", transaction: transaction, cancellationToken: cancellationToken)) ?? 0;
        if (expectedLatest is { } expected && expected != latest)
        {
            return null;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hub_config_versions (version, saved_at, user_name, comment, config_json, file_hash) VALUES (@Version, @At, @User, @Comment, @Json, @FileHash)",
                new { Version = latest + 1, At = Time.To(at), User = user, Comment = comment, Json = json, FileHash = fileHash }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return latest + 1;
        }
        catch (DbException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another instance took the same number between our read and our insert (the primary key refused ours).
            return null;
        }
    }

    private sealed class VersionRow
    {
        public long Version { get; set; }
        public long SavedAt { get; set; }
        public string UserName { get; set; } = "";
        public string Comment { get; set; } = "";
        public string ConfigJson { get; set; } = "";
        public string? FileHash { get; set; }

        public ConfigurationVersion ToVersion() => new(Version, Time.From(SavedAt), UserName, Comment, ConfigJson, FileHash);
    }
}
