namespace CrossBorderHub.Core.Security;

/// <summary>
/// The admin web's roles, from least to most: each one's rights are in docs/admin.md. A user has exactly one.
/// viewer reads messages and statistics (no payload bytes); operator also reads payloads, replays and resends;
/// admin may do everything; verifier may only call the document verification endpoint.
/// </summary>
public static class HubRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string Verifier = "verifier";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin, Verifier];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
