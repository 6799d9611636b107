namespace CrossBorderHub.Storage;

/// <summary>A row of hub_audit as Dapper reads it, for the user store's list and the audit search alike.</summary>
internal sealed class AuditRow
{
    public long Id { get; set; }
    public long At { get; set; }
    public string UserName { get; set; } = "";
    public string? RemoteAddress { get; set; }
    public string Action { get; set; } = "";
    public string Detail { get; set; } = "";
}
