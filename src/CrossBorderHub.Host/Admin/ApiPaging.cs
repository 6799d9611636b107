using System.Globalization;
using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// How every list endpoint of the REST API pages. The body stays the list itself (existing callers read an array);
/// the page is described in headers: X-Total-Count (every match, not just this page), X-Next-Cursor and a Link
/// rel="next" with the same query and cursor=NEXT, absent on the last page. A bad value is a 400 problem naming the
/// parameter, the value and what is allowed.
/// </summary>
internal static class ApiPaging
{
    public const int DefaultLimit = 100;

    public static IResult List<T>(HttpContext http, IEnumerable<T> page, long total, string? next)
    {
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        if (next is not null)
        {
            http.Response.Headers["X-Next-Cursor"] = next;
            var query = http.Request.Query.Where(q => !string.Equals(q.Key, "cursor", StringComparison.OrdinalIgnoreCase) && !string.Equals(q.Key, "offset", StringComparison.OrdinalIgnoreCase))
                .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}").Append($"cursor={Uri.EscapeDataString(next)}");
            http.Response.Headers.Link = $"<{http.Request.Path}?{string.Join('&', query)}>; rel=\"next\"";
        }
        return Results.Json(page, MessagesVerb.Json);
    }

    /// <summary>Pages a list held in memory (partners, routes, mappings): the cursor is the position of the next item.</summary>
    public static IResult InMemory<T>(HttpContext http, IReadOnlyList<T> all, string? cursor, string? limit)
    {
        if (!TryLimit(limit, out var count))
        {
            return BadQuery("limit", limit!, $"a whole number from 1 to {MessageListRequest.MaxLimit}");
        }
        var start = 0;
        if (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count))
        {
            return BadQuery("cursor", cursor, "the X-Next-Cursor value of the previous page");
        }
        var page = all.Skip(start).Take(count).ToList();
        var next = start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return List(http, page, all.Count, next);
    }

    public static bool TryLimit(string? text, out int value, int fallback = DefaultLimit)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value is >= 1 and <= MessageListRequest.MaxLimit;
    }

    /// <summary>RFC 7807 problem for a query value the API cannot honour.</summary>
    public static IResult BadQuery(string parameter, string value, string allowed) =>
        Results.Problem(
            title: $"Invalid query parameter '{parameter}'",
            detail: $"{parameter} '{value}' is not valid: use {allowed}.",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["value"] = value, ["allowed"] = allowed });
}
