using System.Globalization;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The document search criteria of GET /api/documents and `hub documents`, read strictly: a date or country that
/// cannot be honoured is refused naming it (parameter, value, fix), never ignored into "every document".
/// </summary>
internal static class DocumentSearchRequest
{
    public sealed record Invalid(string Parameter, string Value, string Fix)
    {
        public override string ToString() => $"{Parameter} '{Value}' is not valid: {Fix}.";
    }

    public static (DocumentQuery? Query, Invalid? Problem) Read(string? number, string? type, string? country, string? from, string? to, string? limit)
    {
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            return (null, new Invalid("country", country, "use an ISO 3166 two-letter code such as TH"));
        }
        if (!TryDate(from, out var since))
        {
            return (null, new Invalid("from", from!, "use a date as yyyy-MM-dd, e.g. 2024-01-31"));
        }
        if (!TryDate(to, out var until))
        {
            return (null, new Invalid("to", to!, "use a date as yyyy-MM-dd, e.g. 2024-01-31"));
        }
        if (since is not null && until is not null && since > until)
        {
            return (null, new Invalid("from", from!, $"it is after to '{to}': swap them"));
        }
        var count = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MessageListRequest.MaxLimit))
        {
            return (null, new Invalid("limit", limit, $"use a whole number from 1 to {MessageListRequest.MaxLimit}"));
        }
        return (new DocumentQuery(Empty(number), Empty(type), Empty(country)?.ToUpperInvariant(), since, until, count), null);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (text is null)
        {
            return true;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }
        date = parsed;
        return true;
    }
}

/// <summary>GET /api/documents: business documents (one per EDIFACT message) by number, type, country, issue date.</summary>
internal static class DocumentEndpoints
{
    public static void MapDocuments(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/documents", async (HttpContext http, IDocumentQueries documents, string? number, string? type, string? country, string? from, string? to, string? limit, string? cursor,
            CancellationToken ct) =>
        {
            var (query, invalid) = DocumentSearchRequest.Read(number, type, country, from, to, limit);
            if (invalid is not null)
            {
                return Results.Problem(
                    title: $"Invalid query parameter '{invalid.Parameter}'",
                    detail: invalid.ToString(),
                    statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["parameter"] = invalid.Parameter, ["value"] = invalid.Value });
            }
            if (cursor is not null)
            {
                if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
                {
                    return ApiPaging.BadQuery("cursor", cursor, "the X-Next-Cursor value of the previous page");
                }
                query = query! with { Before = before };
            }
            var page = await documents.FindAsync(query!, ct);
            var total = await documents.CountAsync(query!, ct);
            return ApiPaging.List(http, page, total, page.Count == query!.Limit ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
        }).WithTags("Documents").WithSummary("Business documents by number, type, country and issue date; cursor paged");
}
