namespace CrossBorderHub.Core.Security;

/// <summary>A local user of the admin web. <see cref="PasswordHash"/> is the ASP.NET Core PasswordHasher's output.</summary>
public sealed record HubUser(string Name, string Role, string PasswordHash, int FailedLogins, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt);

/// <summary>
/// Users and their API tokens, in the message store so that every instance sharing it sees the same users. Tokens are
/// stored as a hash only: the plain token is shown once, when it is created.
/// </summary>
public interface IUserStore
{
    Task<bool> AnyAsync(CancellationToken cancellationToken);

    Task<HubUser?> FindAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<HubUser>> ListAsync(CancellationToken cancellationToken);

    /// <summary>False when a user of that name exists already (nothing changed).</summary>
    Task<bool> AddAsync(HubUser user, CancellationToken cancellationToken);

    /// <summary>New password hash, failure count and lock cleared; false for an unknown user.</summary>
    Task<bool> SetPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed login; at <paramref name="maxFailures"/> the account is locked until <paramref name="lockUntil"/>
    /// and the count starts again. Returns the user as it is now (null for an unknown user).
    /// </summary>
    Task<HubUser?> RecordFailedLoginAsync(string name, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>A successful login clears the failure count.</summary>
    Task RecordLoginAsync(string name, CancellationToken cancellationToken);

    /// <summary>Another role (viewer, operator, admin, verifier); false for an unknown user.</summary>
    Task<bool> SetRoleAsync(string name, string role, CancellationToken cancellationToken);

    /// <summary>Removes the user and its API tokens; false for an unknown user.</summary>
    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken);

    Task AddTokenAsync(string name, string tokenHash, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>The user owning the token whose hash this is, or null.</summary>
    Task<HubUser?> FindByTokenAsync(string tokenHash, CancellationToken cancellationToken);
}
