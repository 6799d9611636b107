using System.Globalization;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>GET /api/audit (admin): the audit trail, newest first, paged with a cursor. There is no way to delete from it.</summary>
internal static class AuditEndpoints
{
    private const int MaxLimit = 500;

    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", async (IAuditLog audit, string? before, string? limit, CancellationToken ct) =>
        {
            long? cursor = null;
            if (before is not null)
            {
                if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    return Bad("before", before, "the 'next' value of the previous page (a positive number)");
                }
                cursor = parsed;
            }
            var size = 50;
            if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
            {
                return Bad("limit", limit, $"a whole number from 1 to {MaxLimit}");
            }
            var events = await audit.PageAsync(cursor, size, ct);
            // A full page may have more after it: its last id is the cursor of the next page.
            return Results.Json(new { total = await audit.CountAsync(ct), events, next = events.Count == size ? events[^1].Id.ToString(CultureInfo.InvariantCulture) : null }, MessagesVerb.Json);
        }).RequireAuthorization(AdminPolicies.Admin);

    private static IResult Bad(string parameter, string value, string allowed) => Results.Problem(
        title: $"Invalid query parameter '{parameter}'", detail: $"'{value}' is not valid for '{parameter}': use {allowed}.",
        statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
