namespace CrossBorderHub.Core.Security;

/// <summary>One admin action: who, when, from where, what. Never changed or deleted once written.</summary>
public sealed record AuditEvent(long Id, DateTimeOffset At, string User, string? RemoteAddress, string Action, string Detail);

/// <summary>The audit trail of the admin web and the users CLI, in the message store.</summary>
public interface IAuditLog
{
    Task AddAsync(DateTimeOffset at, string user, string? remoteAddress, string action, string detail, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="before"/> is the cursor (the last id of the previous page), null for the first page.</summary>
    Task<IReadOnlyList<AuditEvent>> PageAsync(long? before, int limit, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);
}
