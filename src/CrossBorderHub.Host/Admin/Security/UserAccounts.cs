using System.Security.Cryptography;
using System.Text;
using CrossBorderHub.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>
/// Passwords (ASP.NET Core's PasswordHasher: PBKDF2, salted, slow) and API tokens (32 random bytes, stored as their
/// SHA-256: a token is already high-entropy, so a fast hash suffices and lookup stays one indexed query).
/// </summary>
internal sealed class UserAccounts(IUserStore users, IAuditLog audit, TimeProvider time)
{
    public const int MinimumPasswordLength = 10;
    private const string TokenPrefix = "hub_";
    private static readonly PasswordHasher<HubUser> Hasher = new();
    private static readonly HubUser NoUser = new("", "", "", 0, null, DateTimeOffset.MinValue);

    public IUserStore Users => users;

    public IAuditLog Audit => audit;

    public TimeProvider Time => time;

    public static string HashPassword(string password) => Hasher.HashPassword(NoUser, password);

    public static bool Verifies(HubUser user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) is not PasswordVerificationResult.Failed;

    /// <summary>A hash no password verifies: a token-only (robot) user cannot log in to the web.</summary>
    public static string NoPassword() => "!" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string NewToken() => TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Creates a token for the user and returns it; only its hash is stored.</summary>
    public async Task<string> IssueTokenAsync(string name, string actor, string? remoteAddress, CancellationToken cancellationToken)
    {
        var token = NewToken();
        await users.AddTokenAsync(name, HashToken(token), time.GetUtcNow(), cancellationToken);
        await audit.AddAsync(time.GetUtcNow(), actor, remoteAddress, "token-created", $"API token for user '{name}'", cancellationToken);
        return token;
    }

    public async Task<LoginOutcome> LoginAsync(string name, string password, int maxFailures, TimeSpan lockout, string? remoteAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await users.FindAsync(name, cancellationToken);
        if (user?.LockedUntil is { } until && until > now)
        {
            await audit.AddAsync(now, name, remoteAddress, "login-refused", $"account locked until {until:u}", cancellationToken);
            return new LoginOutcome(null, $"This account is locked after too many failed logins until {until:u} UTC; ask an admin to run 'hub users reset {name}'.");
        }
        if (user is null || !Verifies(user, password))
        {
            var after = user is null ? null : await users.RecordFailedLoginAsync(name, maxFailures, now + lockout, cancellationToken);
            await audit.AddAsync(now, name, remoteAddress, "login-failed", user is null ? "unknown user" : "wrong password", cancellationToken);
            return after?.LockedUntil is { } locked && locked > now
                ? new LoginOutcome(null, $"This account is now locked after {maxFailures} failed logins until {locked:u} UTC; ask an admin to run 'hub users reset {name}'.")
                : new LoginOutcome(null, "Wrong user name or password.");
        }
        await users.RecordLoginAsync(name, cancellationToken);
        await audit.AddAsync(now, name, remoteAddress, "login", "signed in to the admin web", cancellationToken);
        return new LoginOutcome(user, null);
    }
}

/// <summary>The user when the login succeeded, else the one line to show on the login page.</summary>
internal sealed record LoginOutcome(HubUser? User, string? Refusal);
