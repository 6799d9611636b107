using CrossBorderHub.Core.Security;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>Users, API tokens and the audit trail over any <see cref="SqlDialect"/>.</summary>
public sealed class DapperUserStore(SqlDialect dialect) : IUserStore, IAuditLog
{
    private const string UserColumns = "u.user_name, u.role_name, u.password_hash, u.failed_logins, u.locked_until, u.created_at";

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hub_users", cancellationToken: cancellationToken)) > 0;
    }

    public async Task<HubUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var row = await connection.QueryFirstOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM hub_users u WHERE u.user_name = @Name", new { Name = name }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<HubUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM hub_users u ORDER BY u.user_name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToUser()).ToList();
    }

    public async Task<bool> AddAsync(HubUser user, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM hub_users WHERE user_name = @Name", new { user.Name }, transaction, cancellationToken: cancellationToken));
        if (exists > 0)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO hub_users (user_name, role_name, password_hash, failed_logins, locked_until, created_at) VALUES (@Name, @Role, @PasswordHash, 0, NULL, @CreatedAt)",
            new { user.Name, user.Role, user.PasswordHash, CreatedAt = Time.To(user.CreatedAt) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> SetPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_users SET password_hash = @Hash, failed_logins = 0, locked_until = NULL WHERE user_name = @Name",
            new { Name = name, Hash = passwordHash }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<HubUser?> RecordFailedLoginAsync(string name, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One statement each, so two instances counting the same user's failures never lose one.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_users SET failed_logins = failed_logins + 1 WHERE user_name = @Name", new { Name = name }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_users SET failed_logins = 0, locked_until = @Until WHERE user_name = @Name AND failed_logins >= @Max",
            new { Name = name, Max = maxFailures, Until = Time.To(lockUntil) }, transaction, cancellationToken: cancellationToken));
        var row = await connection.QueryFirstOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM hub_users u WHERE u.user_name = @Name", new { Name = name }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row?.ToUser();
    }

    public async Task RecordLoginAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_users SET failed_logins = 0, locked_until = NULL WHERE user_name = @Name", new { Name = name }, cancellationToken: cancellationToken));
    }

    public async Task<bool> SetRoleAsync(string name, string role, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hub_users SET role_name = @Role WHERE user_name = @Name", new { Name = name, Role = role }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The tokens first: a removed user's token must stop working in the same commit.
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_api_tokens WHERE user_name = @Name", new { Name = name }, transaction, cancellationToken: cancellationToken));
        var removed = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hub_users WHERE user_name = @Name", new { Name = name }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return removed == 1;
    }

    public async Task AddTokenAsync(string name, string tokenHash, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO hub_api_tokens (token_hash, user_name, created_at) VALUES (@Hash, @Name, @At)",
            new { Hash = tokenHash, Name = name, At = Time.To(createdAt) }, cancellationToken: cancellationToken));
    }

    public async Task<HubUser?> FindByTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        var row = await connection.QueryFirstOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM hub_users u JOIN hub_api_tokens t ON t.user_name = u.user_name WHERE t.token_hash = @Hash",
            new { Hash = tokenHash }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task AddAsync(DateTimeOffset at, string user, string? remoteAddress, string action, string detail, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO hub_audit (at, user_name, remote_address, action, detail) VALUES (@At, @User, @RemoteAddress, @Action, @Detail)",
            new { At = Time.To(at), User = user, RemoteAddress = remoteAddress, Action = action, Detail = detail }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditEvent>> PageAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        // The cursor is the id: new events arriving between two pages never shift the next page as an offset would.
        var sql = "SELECT id, at, user_name, remote_address, action, detail FROM hub_audit"
            + (before is null ? "" : " WHERE id < @Before")
            + " ORDER BY id DESC" + dialect.Page.Replace(" ORDER BY (SELECT NULL)", "", StringComparison.Ordinal);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, new { Before = before ?? 0, Limit = limit, Offset = 0 }, cancellationToken: cancellationToken));
        return rows.Select(r => new AuditEvent(r.Id, Time.From(r.At), r.UserName, r.RemoteAddress, r.Action, r.Detail)).ToList();
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hub_audit", cancellationToken: cancellationToken));
    }

    private sealed class UserRow
    {
        public string UserName { get; set; } = "";
        public string RoleName { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public long FailedLogins { get; set; }
        public long? LockedUntil { get; set; }
        public long CreatedAt { get; set; }

        public HubUser ToUser() => new(UserName, RoleName, PasswordHash, (int)FailedLogins, LockedUntil is { } until ? Time.From(until) : null, Time.From(CreatedAt));
    }
}
