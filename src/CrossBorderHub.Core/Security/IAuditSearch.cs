namespace CrossBorderHub.Core.Security;

/// <summary>Search criteria over the audit trail; null means any. Text matches the detail or the address, literally.</summary>
public sealed record AuditQuery(string? User = null, string? Action = null, string? Text = null, DateTimeOffset? From = null, DateTimeOffset? To = null, long? Before = null, int Limit = 50);

/// <summary>The audit page's and GET /api/audit's search. Read only: nothing deletes from the trail.</summary>
public interface IAuditSearch
{
    /// <summary>Newest first, from the cursor <see cref="AuditQuery.Before"/> (an id).</summary>
    Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every match, ignoring the cursor and the limit.</summary>
    Task<long> CountAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The actions recorded so far, for the page's filter.</summary>
    Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken);
}
